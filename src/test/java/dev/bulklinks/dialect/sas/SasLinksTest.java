package dev.bulklinks.dialect.sas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.api.ApiError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SAS translation on its own, without the service. */
class SasLinksTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ITEM = """
            {"relationshipTypeName": "owns", "fromEntityType": "person", "fromId": "a", "toEntityType": "vehicle", "toId": "b"}""";

    @Test
    void anItemWithoutAnIdGetsANewOneAndTheSameOneWhenRetriedWithTheSameIdempotencyKey() throws Exception {
        var body = JSON.readTree("{\"items\": [" + ITEM + ", " + ITEM + "]}");

        List<SasLinks.Item> once = SasLinks.read(body, "key-1");
        List<SasLinks.Item> again = SasLinks.read(body, "key-1");
        List<SasLinks.Item> unkeyed = SasLinks.read(body, null);

        assertThat(once.get(0).link().linkType()).isEqualTo("owns|person|vehicle");
        assertThat(once.get(0).link().input().id()).isEqualTo("a");
        assertThat(once.get(0).link().output().id()).isEqualTo("b");
        assertThat(once.get(0).link().id()).isNotEqualTo(once.get(1).link().id());
        assertThat(again.get(0).link().id()).isEqualTo(once.get(0).link().id());
        assertThat(unkeyed.get(0).link().id()).isNotEqualTo(once.get(0).link().id());
    }

    @Test
    void theEnginesWordsForTheEndsBecomeSasWords() {
        assertThat(SasLinks.inSasWords("Input entity x not found.")).isEqualTo("From entity x not found.");
        assertThat(SasLinks.inSasWords("Output entity x not found.")).isEqualTo("To entity x not found.");
        assertThat(SasLinks.inSasWords("input: 'x' is not an id")).isEqualTo("fromId: 'x' is not an id");
        assertThat(SasLinks.inSasWords("Link id x is already taken.")).isEqualTo("Link id x is already taken.");
    }

    @Test
    void aWholeRequestErrorIsSasErrorObject() {
        assertThat(SasLinks.error(new ApiError(429, "Too many.", Map.of("retryAfter", 17))).toString())
                .isEqualTo("{\"errorCode\":429,\"message\":\"Too many.\",\"details\":[\"retryAfter: 17\"],"
                        + "\"httpStatusCode\":429,\"version\":2}");
        assertThat(SasLinks.error(new ApiError(1001, "Invalid.", null)).path("httpStatusCode").asInt()).isEqualTo(422);
    }
}
