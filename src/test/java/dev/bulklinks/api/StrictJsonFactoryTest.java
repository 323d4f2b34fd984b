package dev.bulklinks.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The check of lone surrogates, without Quarkus: which text is refused, and how its place is named. */
class StrictJsonFactoryTest {

    private static final ObjectMapper JSON = new ObjectMapper(new StrictJsonFactory());

    static {
        new JsonSettings().customize(JSON);
    }

    @Test
    void findsTheFirstSurrogateThatIsNotHalfOfAPair() {
        assertThat(StrictJsonFactory.loneSurrogate("plain")).isEqualTo(-1);
        assertThat(StrictJsonFactory.loneSurrogate("a\uD83D\uDE00b\uD83D\uDE00")).isEqualTo(-1);
        assertThat(StrictJsonFactory.loneSurrogate("ab\uD800")).isEqualTo(2);
        assertThat(StrictJsonFactory.loneSurrogate("\uD800x")).isZero();
        assertThat(StrictJsonFactory.loneSurrogate("x\uDC00")).isEqualTo(1);
        assertThat(StrictJsonFactory.loneSurrogate("\uDE00\uD83D")).as("a pair the wrong way round").isZero();
        assertThat(StrictJsonFactory.loneSurrogate("\uD83D\uDE00\uD83D")).isEqualTo(2);
    }

    /** What a caller reads for {@code json}, read from bytes and from a String (Jackson's two parsers). */
    private static String refusal(String json, String prefix) {
        String fromBytes = message(() -> JSON.readTree(json.getBytes(StandardCharsets.UTF_8)), prefix);
        String fromText = message(() -> JSON.readTree(json), prefix);
        assertThat(fromText).as("the same from text as from bytes").isEqualTo(fromBytes);
        return fromBytes;
    }

    private interface Read {
        JsonNode run() throws JsonProcessingException, java.io.IOException;
    }

    private static String message(Read read, String prefix) {
        try {
            read.run();
        } catch (JsonProcessingException e) {
            return JsonProblems.describe(e, prefix);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("read without a refusal");
    }

    @Test
    void namesThePlaceFromTheDocumentsRoot() {
        assertThat(refusal("{\"links\": [{}, {\"data\": {\"tags\": [\"a\", \"b\\ud800\"]}}]}", ""))
                .startsWith("links[1].data.tags[1] holds a lone UTF-16 surrogate (\\ud800): text must be valid Unicode");
        assertThat(refusal("[\"ok\", \"\\udc00\"]", "")).startsWith("[1] holds a lone UTF-16 surrogate (\\udc00)");
        assertThat(refusal("{\"data\": {\"k\\udc00\": 1}}", "")).startsWith("data has a field name that holds a lone");
        assertThat(refusal("{\"k\\ud800x\": 1}", "")).startsWith("The body has a field name that holds a lone");
        assertThat(refusal("\"\\ud800\"", "")).startsWith("The text at line 1 holds a lone UTF-16 surrogate (\\ud800)");
    }

    @Test
    void aPrefixIsAddedOnlyWhenThePathDoesNotSayIt() {
        assertThat(refusal("{\"links\": [{\"name\": \"\\ud800\"}]}", "links[0]")).startsWith("links[0].name holds");
        assertThat(refusal("{\"name\": \"\\ud800\"}", "item 4 (line 5)")).startsWith("item 4 (line 5): name holds");
        assertThat(refusal("{\"\\ud800\": 1}", "item 4 (line 5)"))
                .startsWith("item 4 (line 5): the object has a field name that holds");
    }

    @Test
    void wholePairsAndOrdinaryTextPass() throws Exception {
        JsonNode read = JSON.readTree("{\"name\": \"smile \\ud83d\\ude00\", \"\\ud83d\\ude00\": [\"\u00e9\"]}");
        assertThat(read.get("name").asText()).isEqualTo("smile \uD83D\uDE00");
        assertThat(read.get("\uD83D\uDE00").get(0).asText()).isEqualTo("\u00e9");
    }

    @Test
    void copiesOfTheMapperKeepTheCheck() {
        assertThatThrownBy(() -> JSON.copy().readTree("{\"a\": \"\\ud800\"}"))
                .isInstanceOf(StrictJsonFactory.LoneSurrogate.class);
    }
}
