package dev.bulklinks.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NulCheckTest {

    private final ObjectMapper json = new ObjectMapper();

    private boolean nul(Object value) throws Exception {
        byte[] bytes = json.writeValueAsBytes(Map.of("v", value));
        return BodySpooler.hasNul(bytes, bytes.length);
    }

    @Test
    void findsTheNulCharacterWhereverItIs() throws Exception {
        assertThat(nul("a\u0000b")).isTrue();
        assertThat(nul("\u0000")).isTrue();
        assertThat(nul(Map.of("deep", java.util.List.of("x", "\\\u0000")))).isTrue();
    }

    @Test
    void leavesTextThatOnlyLooksLikeIt() throws Exception {
        assertThat(nul("\\u0000")).as("a backslash, then u0000").isFalse();
        assertThat(nul("\\\\u0000")).isFalse();
        assertThat(nul("\u0001 and \u001f")).isFalse();
        assertThat(nul("plain")).isFalse();
    }
}
