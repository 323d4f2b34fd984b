package dev.bulklinks.intake;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.bulklinks.fixtures.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad bulk bodies answer 4xx in the envelope, say what to fix, and leave no job behind. */
@QuarkusTest
class MalformedBodyTest {

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

    @AfterEach
    void noJobWasCreated() {
        json().get("/api/p/{p}/jobs", project).then().statusCode(200).body("result.jobs", equalTo(List.of()));
    }

    private String item() {
        return "{\"input\":\"" + a + "\",\"output\":\"" + b + "\",\"linkType\":\"" + BREAKDOWN + "\"}";
    }

    private ValidatableResponse post(String body) {
        return json().body(body).post("/api/p/{p}/links/bulk", project).then();
    }

    private static void refused(ValidatableResponse response, int status, String message) {
        response.statusCode(status).body("success", equalTo(false)).body("result.code", equalTo(status))
                .body("result.message", containsString(message)).body("data", equalTo(Map.of()));
    }

    @Test
    void notJson() {
        refused(post("hello"), 400, "Malformed JSON at line 1");
    }

    @Test
    void notAnObject() {
        refused(post("[" + item() + "]"), 400, "must be a JSON object");
    }

    @Test
    void truncated() {
        refused(post("{\"links\": [" + item() + ", {\"input\": \""), 400, "links[1]");
        refused(post("{\"links\": [" + item()), 400, "ends too early");
    }

    @Test
    void somethingAfterTheObject() {
        refused(post("{\"links\": [" + item() + "]} {}"), 400, "nothing after it");
    }

    @Test
    void linksNotAnArray() {
        refused(post("{\"links\": {}}"), 400, "links must be an array");
    }

    @Test
    void itemNotAnObject() {
        refused(post("{\"links\": [" + item() + ", 5]}"), 400, "links[1] must be an object");
    }

    @Test
    void wrongTypes() {
        refused(post("{\"links\": [{\"input\": 5, \"output\": \"" + b + "\", \"linkType\": \"" + BREAKDOWN + "\"}]}"),
                400, "links[0].input: must be a string");
        refused(post("{\"links\": [" + item().replace("}", ",\"position\": \"3\"}") + "]}"), 400,
                "links[0].position must be an integer");
        refused(post("{\"links\": [" + item().replace("}", ",\"position\": 1.5}") + "]}"), 400,
                "links[0].position must be an integer");
        refused(post("{\"links\": [" + item().replace("}", ",\"data\": [1]}") + "]}"), 400,
                "links[0].data must be an object");
        refused(post("{\"links\": [" + item() + "], \"atomic\": \"yes\"}"), 400, "atomic must be true or false");
    }

    @Test
    void missingFields() {
        refused(post("{\"links\": [" + item() + ", {\"input\": \"" + a + "\", \"linkType\": \"" + BREAKDOWN + "\"}]}"),
                400, "links[1]: output is required");
        refused(post("{\"mode\": \"create\"}"), 400, "links is required");
    }

    @Test
    void unknownFields() {
        refused(post("{\"links\": [" + item().replace("}", ",\"colour\": \"red\"}") + "]}"), 400,
                "Unknown field 'colour' in links[0]");
        refused(post("{\"links\": [" + item() + "], \"priority\": 1}"), 400,
                "Unknown field 'priority'; the fields allowed are atomic, callback, dryRun, links, lookupKey, mode");
    }

    @Test
    void duplicateKeys() {
        refused(post("{\"links\": [" + item().replace("}", ",\"input\": \"" + b + "\"}") + "]}"), 400, "Duplicate field");
    }

    @Test
    void emptyList() {
        refused(post("{\"links\": []}"), 400, "links is empty");
    }

    @Test
    void optionsNotAvailableYet() {
        refused(post("{\"links\": [" + item() + "], \"mode\": \"merge\"}"), 400, "mode must be");
    }

    @Test
    void unknownProject() {
        json().body("{\"links\": [" + item() + "]}").post("/api/p/nosuchproject/links/bulk").then()
                .statusCode(404).body("result.message", containsString("Project 'nosuchproject' not found"));
    }

    @Test
    void projectNameThatLooksLikeSql() {
        json().body("{\"links\": [" + item() + "]}").post("/api/p/{p}/links/bulk", "x'; DROP TABLE job;--").then()
                .statusCode(400).body("result.message", containsString("Project names"));
    }

    @Test
    void wrongContentType() {
        given().contentType("text/plain").body("{\"links\": [" + item() + "]}").post("/api/p/{p}/links/bulk", project)
                .then().statusCode(415).body("success", equalTo(false))
                .body("result.message", containsString("application/json"));
    }

    @Test
    void nulCharacterIsRefusedAndTheCopyRolledBack() {
        refused(post("{\"links\": [" + item() + ", " + item().replace("}", ",\"data\": {\"x\": \"a\\u0000b\"}}")
                + "]}"), 400, "NUL");
    }

    /**
     * Items are checked on the request's thread and written back on another, a batch behind: the
     * answer still names the first faulty item, whichever half found its fault.
     */
    @Test
    void theFirstFaultyItemIsNamedWhicheverThreadFoundIt() {
        String nul = item().replace("}", ",\"data\": {\"x\": \"a\\u0000b\"}}");
        String unknown = item().replace("}", ",\"colour\": \"red\"}");
        refused(post(body(600, Map.of(200, nul, 450, unknown))), 400, "links[200]: text must be valid UTF-8 without the NUL");
        refused(post(body(600, Map.of(200, unknown, 450, nul))), 400, "colour");
        refused(post(body(600, Map.of(200, unknown, 450, nul))), 400, "links[200]");
        refused(post(body(600, Map.of(599, nul))), 400, "links[599]");
    }

    /** A bulk body of {@code count} items, those at the keys of {@code at} replaced by its values. */
    private String body(int count, Map<Integer, String> at) {
        StringBuilder body = new StringBuilder("{\"links\": [");
        for (int i = 0; i < count; i++) {
            body.append(i == 0 ? "" : ",").append(at.getOrDefault(i, item()));
        }
        return body.append("]}").toString();
    }

    @Test
    void invalidUtf8() {
        byte[] start = ("{\"links\": [" + item().replace("}", ",\"name\": \"")).getBytes(StandardCharsets.UTF_8);
        byte[] end = "\"}]}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[start.length + 2 + end.length];
        System.arraycopy(start, 0, body, 0, start.length);
        body[start.length] = (byte) 0xC3;
        body[start.length + 1] = (byte) 0x28;
        System.arraycopy(end, 0, body, start.length + 2, end.length);
        refused(json().body(body).post("/api/p/{p}/links/bulk", project).then(), 400, "UTF-8");
    }

    @Test
    void deepNesting() {
        String deep = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
        refused(post("{\"links\": [" + item().replace("}", ",\"data\": " + deep + "}") + "]}"), 400, "nesting");
    }

    @Test
    void hugeStringIsCaughtByTheItemLimit() {
        String huge = "x".repeat(1_100_000);
        refused(post("{\"links\": [" + item().replace("}", ",\"name\": \"" + huge + "\"}") + "]}"), 413,
                "links[0] is larger than 1048576 bytes");
    }

    @Test
    void tooManyItems() {
        String items = (item() + ",").repeat(50_001);
        refused(post("{\"links\": [" + items.substring(0, items.length() - 1) + "]}"), 413, "More than 50000 items");
    }

    @Test
    void bulkBodyOverTheLimitWhileStreaming() {
        // 20M is the test profile's limit; the body has no declared length, so it is counted as it arrives.
        InputStream body = new SequenceInputStream(new ByteArrayInputStream("{\"links\": [".getBytes()),
                new InputStream() {
                    final byte[] item = (item() + ",").getBytes();
                    long sent;

                    @Override
                    public int read() {
                        return sent < 30_000_000 ? item[(int) (sent++ % item.length)] : -1;
                    }
                });
        refused(json().body(body).post("/api/p/{p}/links/bulk", project).then(), 413, "split the import");
    }

    @Test
    void bulkItemOverTheItemLimit() {
        StringBuilder data = new StringBuilder("{");
        for (int i = 0; i < 120_000; i++) {
            data.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":1");
        }
        data.append('}');
        refused(post("{\"links\": [" + item() + ", " + item().replace("}", ",\"data\": " + data + "}") + "]}"), 413,
                "links[1] is larger than");
    }

    @Test
    void ndjsonItemOverTheItemLimitIsNamedByItsLine() {
        String huge = "x".repeat(1_100_000);
        refused(Api.ndjson().body(item() + "\n\n" + item().replace("}", ",\"name\": \"" + huge + "\"}") + "\n")
                .post("/api/p/{p}/links/bulk", project).then(), 413, "item 1 (line 3) is larger than 1048576 bytes");
    }

    @Test
    void ordinaryBodiesAreLimitedWhetherOrNotTheyDeclareTheirLength() {
        String padded = "{\"type\": \"folder\", \"name\": \"x\", \"data\": {\"pad\": \"" + "x".repeat(900_000)
                + "\", \"more\": \"" + "y".repeat(300_000) + "\"}}";
        refused(json().body(padded).post("/api/p/{p}/entities", project).then(), 413, "bulk endpoints");
        refused(json().body(new ByteArrayInputStream(padded.getBytes())).post("/api/p/{p}/entities", project).then(),
                413, "bulk endpoints");
    }

    @Test
    void linkAndLinkTypeThatDifferAreRefusedNamingTheItem() {
        String both = item().replace("}", ",\"link\": \"reference|folder|folder\"}");
        refused(post("{\"links\": [" + item() + ", " + both + "]}"), 400,
                "links[1]: link and linkType are both given, with different values");
        refused(Api.ndjson().body(item() + "\n" + both + "\n").post("/api/p/{p}/links/bulk", project).then(), 400,
                "item 1 (line 2): link and linkType are both given, with different values");
    }

    @Test
    void badNdjsonLineNamesItsLine() {
        refused(Api.ndjson().body(item() + "\n" + item() + "\n{\"input\": 7}\n")
                .post("/api/p/{p}/links/bulk", project).then(), 400, "item 2 (line 3)");
    }

    @Test
    void otherEndpointsAnswerTheEnvelopeToo() {
        json().body("{\"type\": \"folder\", \"name\": 5}").post("/api/p/{p}/entities", project).then()
                .statusCode(400).body("result.message", containsString("name must be a string"));
        json().body("{\"name\": \"Bad Name\"}").post("/api/projects").then()
                .statusCode(400).body("result.message", containsString("Project names"));
        json().body("not json").post("/api/projects").then().statusCode(400).body("success", equalTo(false));
        json().get("/api/p/{p}/entities/{id}", project, "123").then().statusCode(400)
                .body("result.message", containsString("is not an id"));
        json().get("/api/p/{p}/jobs/{t}", project, "nope").then().statusCode(400)
                .body("result.message", containsString("job tokens are UUIDs"));
        json().get("/api/p/{p}/jobs?status=finished", project).then().statusCode(400);
        json().get("/api/p/{p}/links?limit=0", project).then().statusCode(400);
        json().get("/api/nothing/here").then().statusCode(404).body("success", equalTo(false));
        json().delete("/api/projects").then().statusCode(405).body("success", equalTo(false));
        assertThat(json().get("/api/p/{p}/jobs/{t}", project, java.util.UUID.randomUUID()).then().statusCode(404)
                .extract().<String>path("result.message")).contains("not found");
    }
}
