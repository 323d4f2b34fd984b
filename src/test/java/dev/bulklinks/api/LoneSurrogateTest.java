package dev.bulklinks.api;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.bulklinks.fixtures.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A JSON string escape may name half of a UTF-16 surrogate pair (U+D800 with no low half after it,
 * or a lone U+DC00): that is no Unicode text, and used to be stored as '?'. Anywhere in any body
 * (names, ids, data however deep, object keys) it is a 400 naming the field, and nothing is stored;
 * a whole pair (U+D83D U+DE00, an emoji) is an ordinary character.
 */
@QuarkusTest
class LoneSurrogateTest {

    private static final String HIGH = "\\ud800";
    private static final String LOW = "\\udc00";

    String project;
    String a;
    String b;

    @BeforeEach
    void setUp() {
        Api.FolderPair pair = Api.folderPair();
        project = pair.project();
        a = pair.a();
        b = pair.b();
    }

    private static void refused(ValidatableResponse response, String message) {
        response.statusCode(400).body("success", equalTo(false)).body("result.code", equalTo(400))
                .body("result.message", equalTo(message)).body("data", equalTo(Map.of()));
    }

    private static String lone(String field, String escape) {
        return field + " holds a lone UTF-16 surrogate (" + escape + "): text must be valid Unicode, where a high"
                + " surrogate (\\ud800-\\udbff) is always followed by a low one (\\udc00-\\udfff).";
    }

    private String item(String extra) {
        return "{\"input\": \"" + a + "\", \"output\": \"" + b + "\", \"linkType\": \"" + BREAKDOWN + "\"" + extra + "}";
    }

    private List<String> entityNames() {
        return json().get("/api/p/{p}/entities", project).then().statusCode(200).extract().path("result.entities.name");
    }

    private List<Object> links() {
        return json().get("/api/p/{p}/links", project).then().statusCode(200).extract().path("result.links");
    }

    private List<Object> jobs() {
        return json().get("/api/p/{p}/jobs", project).then().statusCode(200).extract().path("result.jobs");
    }

    @Test
    void inASingleEntity() {
        List<String> before = entityNames();
        refused(json().body("{\"type\": \"folder\", \"name\": \"chair" + HIGH + "\"}").post("/api/p/{p}/entities", project)
                .then(), lone("name", HIGH));
        refused(json().body("{\"type\": \"folder\", \"name\": \"chair\", \"data\": {\"meta\": {\"notes\": [\"ok\", \"x"
                + LOW + "\"]}}}").post("/api/p/{p}/entities", project).then(), lone("data.meta.notes[1]", LOW));
        refused(json().body("{\"type\": \"folder\", \"name\": \"chair\", \"data\": {\"a" + LOW + "\": 1}}")
                .post("/api/p/{p}/entities", project).then(), "data has a field name that holds a lone UTF-16 surrogate:"
                + " text must be valid Unicode, where a high surrogate (\\ud800-\\udbff) is always followed by"
                + " a low one (\\udc00-\\udfff).");
        refused(json().body("{\"type\": \"folder\", \"name\": \"chair\", \"data\": {\"ok\": {\"" + HIGH + "\": 1}}}")
                .post("/api/p/{p}/entities", project).then(), "data.ok has a field name that holds a lone UTF-16"
                + " surrogate: text must be valid Unicode, where a high surrogate (\\ud800-\\udbff) is always followed"
                + " by a low one (\\udc00-\\udfff).");
        // A high surrogate followed by something else than a low one is as lone as one at the end.
        refused(json().body("{\"type\": \"folder\", \"name\": \"" + HIGH + "x\"}").post("/api/p/{p}/entities", project)
                .then(), lone("name", HIGH));
        assertThat(entityNames()).isEqualTo(before);
    }

    @Test
    void inASingleLink() {
        refused(json().body(item(", \"data\": {\"note\": \"" + HIGH + "\"}")).post("/api/p/{p}/links", project).then(),
                lone("data.note", HIGH));
        refused(json().body(item(", \"name\": \"" + LOW + HIGH + "\"")).post("/api/p/{p}/links", project).then(),
                lone("name", LOW));
        refused(json().body("{\"input\": \"" + a + HIGH + "\", \"output\": \"" + b + "\", \"linkType\": \"" + BREAKDOWN
                + "\"}").post("/api/p/{p}/links", project).then(), lone("input", HIGH));
        assertThat(links()).isEmpty();
    }

    @Test
    void inABulkJsonItem() {
        String body = "{\"links\": [" + item("") + ", " + item("") + ", " + item("") + ", "
                + item(", \"data\": {\"note\": \"fine\", \"more\": {\"note\": \"x" + HIGH + "\"}}") + "]}";
        refused(json().body(body).post("/api/p/{p}/links/bulk", project).then(), lone("links[3].data.more.note", HIGH));
        assertThat(jobs()).as("no job was created").isEmpty();
    }

    @Test
    void inABulkNdjsonItem() {
        String body = item("") + "\n" + item("") + "\n" + item(", \"data\": {\"note\": \"" + LOW + "\"}") + "\n";
        refused(Api.ndjson().body(body).post("/api/p/{p}/links/bulk", project).then(),
                "item 2 (line 3): " + lone("data.note", LOW));
        refused(Api.ndjson().body("\"" + a + "\"\n\n\"" + HIGH + "\"\n").post("/api/p/{p}/links/bulk/delete", project)
                .then(), "item 1 (line 3): " + lone("the text", HIGH));
        assertThat(jobs()).as("no job was created").isEmpty();
    }

    @Test
    void aWholePairIsAnOrdinaryCharacter() {
        String id = json().body("{\"type\": \"folder\", \"name\": \"smile \\ud83d\\ude00\", \"data\": {\"\\ud83d\\ude00\": \"\uD83D\uDE00\"}}")
                .post("/api/p/{p}/entities", project).then().statusCode(201).extract().path("result.id");
        json().get("/api/p/{p}/entities/{id}", project, id).then().statusCode(200)
                .body("result.name", equalTo("smile \uD83D\uDE00"))
                .body("result.data", equalTo(Map.of("\uD83D\uDE00", "\uD83D\uDE00")));
    }
}
