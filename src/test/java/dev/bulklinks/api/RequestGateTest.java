package dev.bulklinks.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which request URIs the gate rewrites: only those that cannot be parsed as sent. */
class RequestGateTest {

    @Test
    void theCharactersCurlSendsRawAreEncodedWhereTheyBreakTheUri() {
        assertThat(RequestGate.encodeUnsafe("/api/p/demo/links/types/breakdown|folder|folder"))
                .isEqualTo("/api/p/demo/links/types/breakdown%7Cfolder%7Cfolder");
        assertThat(RequestGate.encodeUnsafe("/api/p/demo/links?type=a|b|c&q={\"x\"}"))
                .isEqualTo("/api/p/demo/links?type=a%7Cb%7Cc&q=%7B%22x%22%7D");
        assertThat(RequestGate.encodeUnsafe("/x/a[1]^`<>\\")).isEqualTo("/x/a%5B1%5D%5E%60%3C%3E%5C");
    }

    @Test
    void aUriThatParsesIsNeverRewritten() {
        for (String uri : new String[] {"/api/p/demo/links/types/breakdown%7Cfolder%7Cfolder",
                "/api/p/demo/jobs?cursor=abc&limit=20", "/api/p/demo/jobs?filter[a]=1", "/q/health", "/é"}) {
            assertThat(RequestGate.encodeUnsafe(uri)).isSameAs(uri);
        }
    }

    @Test
    void whatEncodingCannotMendIsLeftForTheRefusal() {
        assertThat(RequestGate.encodeUnsafe("/api/p/demo/jobs?cursor=%zz|")).isEqualTo("/api/p/demo/jobs?cursor=%zz%7C");
        assertThat(RequestGate.encodeUnsafe("/a\u0001b")).isEqualTo("/a\u0001b");
    }
}
