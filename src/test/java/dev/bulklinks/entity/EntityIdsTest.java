package dev.bulklinks.entity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EntityIdsTest {

    @Test
    void readsCanonicalUuidsAndAyonsThirtyTwoHexDigits() {
        for (int i = 0; i < 10_000; i++) {
            UUID id = UUID.randomUUID();
            assertThat(EntityIds.parse(id.toString())).isEqualTo(id);
            assertThat(EntityIds.parse(id.toString().toUpperCase())).isEqualTo(id);
            assertThat(EntityIds.parse(id.toString().replace("-", ""))).isEqualTo(id);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "12345678-1234-1234-1234-12345678901", "12345678-1234-1234-1234-1234567890123",
            "1234567g-1234-1234-1234-123456789012", "12345678x1234-1234-1234-123456789012",
            "\\uff112345678-1234-1234-1234-123456789012", "1234567812341234123412345678901g",
            "+2345678-1234-1234-1234-123456789012", "1-1-1-1-1", "12345678-1234-1234-1234-12345678901 "})
    void refusesAnythingElse(String text) {
        assertThat(EntityIds.parse(text)).isNull();
    }
}
