package dev.bulklinks.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SignatureTest {

    @Test
    void theHmacIsHmacSha256InHex() {
        // The RFC 2104 example everyone checks against (as in Wikipedia's HMAC article).
        assertThat(Signature.hmac("key", "The quick brown fox jumps over the lazy dog"))
                .isEqualTo("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
    }

    @Test
    void theHeaderSignsTheTimestampAndTheBody() {
        assertThat(Signature.header("key", 1700000000, "{}"))
                .isEqualTo("t=1700000000,v1=" + Signature.hmac("key", "1700000000.{}"));
    }

    @Test
    void secretsAreLongAndDiffer() {
        String one = Signature.newSecret();
        assertThat(one).startsWith("whsec_").hasSize(6 + 43);
        assertThat(Signature.newSecret()).isNotEqualTo(one);
    }
}
