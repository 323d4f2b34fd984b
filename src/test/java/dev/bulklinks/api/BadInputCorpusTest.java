package dev.bulklinks.api;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulklinks.fixtures.Api;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed requests across the endpoints. Each is answered 4xx in the envelope with a message
 * that says what to fix, and creates nothing: no project, entity, link, type or job. The service
 * stays healthy through all of them.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputCorpusTest {

    private static final String JSON = "application/json";
    private static final String NDJSON = "application/x-ndjson";
    private static final String ID = "3f2a1c9e-8d7b-4e6f-a5c4-b3d2e1f0a9b8";

    @Inject
    AgroalDataSource dataSource;

    String project;
    String a;
    String b;
    String job;

    /** One malformed request: {p} is the project, {a} and {b} entities, {j} a finished job. */
    record Case(String name, String method, String path, String contentType, Object body, Map<String, String> headers,
            int status, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case c(String name, String method, String path, String contentType, Object body, int status,
            String message) {
        return new Case(name, method, path, contentType, body, Map.of(), status, message);
    }

    private static String link(String extra) {
        return "{\"input\": \"{a}\", \"output\": \"{b}\", \"linkType\": \"" + BREAKDOWN + "\"" + extra + "}";
    }

    private static String bulk(String items) {
        return "{\"links\": [" + items + "]}";
    }

    private static byte[] invalidUtf8() {
        byte[] start = ("{\"type\": \"folder\", \"name\": \"").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[start.length + 4];
        System.arraycopy(start, 0, body, 0, start.length);
        body[start.length] = (byte) 0xC3;
        body[start.length + 1] = (byte) 0x28;
        body[start.length + 2] = '"';
        body[start.length + 3] = '}';
        return body;
    }

    static Stream<Case> corpus() {
        String bulkPath = "/api/p/{p}/links/bulk";
        String megabyte = "x".repeat(1_100_000);
        String deep = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
        List<Case> cases = new ArrayList<>(List.of(
                // Bulk links, JSON
                c("bulk: not JSON", "POST", bulkPath, JSON, "hello", 400, "Malformed JSON"),
                c("bulk: empty body", "POST", bulkPath, JSON, "", 400, "links"),
                c("bulk: JSON null", "POST", bulkPath, JSON, "null", 400, "must be a JSON object"),
                c("bulk: an array, not an object", "POST", bulkPath, JSON, "[" + link("") + "]", 400, "must be a JSON object"),
                c("bulk: cut short", "POST", bulkPath, JSON, "{\"links\": [" + link(""), 400, "ends too early"),
                c("bulk: something after the object", "POST", bulkPath, JSON, bulk(link("")) + " {}", 400, "nothing after it"),
                c("bulk: links not an array", "POST", bulkPath, JSON, "{\"links\": {}}", 400, "links must be an array"),
                c("bulk: item not an object", "POST", bulkPath, JSON, bulk(link("") + ", 5"), 400, "links[1] must be an object"),
                c("bulk: input a number", "POST", bulkPath, JSON,
                        bulk("{\"input\": 5, \"output\": \"{b}\", \"linkType\": \"" + BREAKDOWN + "\"}"), 400, "links[0].input: must be a string"),
                c("bulk: position a string", "POST", bulkPath, JSON, bulk(link(", \"position\": \"3\"")), 400, "position must be an integer"),
                c("bulk: position a fraction", "POST", bulkPath, JSON, bulk(link(", \"position\": 1.5")), 400, "position must be an integer"),
                c("bulk: position too large", "POST", bulkPath, JSON, bulk(link(", \"position\": 99999999999")), 400, "position"),
                c("bulk: data an array", "POST", bulkPath, JSON, bulk(link(", \"data\": [1]")), 400, "data must be an object"),
                c("bulk: output missing", "POST", bulkPath, JSON,
                        bulk("{\"input\": \"{a}\", \"linkType\": \"" + BREAKDOWN + "\"}"), 400, "output is required"),
                c("bulk: unknown item field", "POST", bulkPath, JSON, bulk(link(", \"colour\": \"red\"")), 400, "Unknown field 'colour'"),
                c("bulk: unknown top-level field", "POST", bulkPath, JSON, "{\"links\": [], \"priority\": 1}", 400, "Unknown field 'priority'"),
                c("bulk: duplicate field", "POST", bulkPath, JSON, bulk(link(", \"input\": \"{b}\"")), 400, "Duplicate field"),
                c("bulk: no items", "POST", bulkPath, JSON, "{\"links\": []}", 400, "links is empty"),
                c("bulk: unknown mode", "POST", bulkPath, JSON, "{\"links\": [" + link("") + "], \"mode\": \"merge\"}", 400, "mode must be"),
                c("bulk: atomic not a boolean", "POST", bulkPath, JSON, "{\"links\": [" + link("") + "], \"atomic\": \"yes\"}", 400, "atomic must be true or false"),
                c("bulk: a string of 1 MB", "POST", bulkPath, JSON, bulk(link(", \"name\": \"" + megabyte + "\"")), 413, "larger than"),
                c("bulk: deep nesting", "POST", bulkPath, JSON, bulk(link(", \"data\": " + deep)), 400, "nesting"),
                c("bulk: NUL character", "POST", bulkPath, JSON, bulk(link(", \"name\": \"a\\u0000b\"")), 400, "NUL"),
                c("bulk: lone surrogate in data", "POST", bulkPath, JSON,
                        bulk(link("") + ", " + link(", \"data\": {\"note\": \"a\\ud800b\"}")), 400,
                        "links[1].data.note holds a lone UTF-16 surrogate (\\ud800)"),
                c("bulk: link and linkType differ", "POST", bulkPath, JSON, bulk(link(", \"link\": \"other|folder|folder\"")),
                        400, "links[0]: link and linkType are both given, with different values"),
                c("bulk: text/plain", "POST", bulkPath, "text/plain", bulk(link("")), 415, "application/json"),
                c("bulk: SQL-looking project", "POST", "/api/p/x'; DROP TABLE job;--/links/bulk", JSON, bulk(link("")), 400, "Project names"),
                c("bulk: unknown project", "POST", "/api/p/nosuchproject/links/bulk", JSON, bulk(link("")), 404, "not found"),
                // Sign-in and admin
                c("auth: not JSON", "POST", "/api/auth", JSON, "hello", 400, "Malformed JSON"),
                c("auth: no key", "POST", "/api/auth", JSON, "{}", 400, "api_key"),
                c("auth: key a number", "POST", "/api/auth", JSON, "{\"api_key\": 5}", 400, "api_key"),
                c("auth: unknown field", "POST", "/api/auth", JSON, "{\"api_key\": \"k\", \"user\": \"u\"}", 400, "Unknown field 'user'"),
                c("admin: SQL-looking user name", "POST", "/api/admin/users", JSON, "{\"name\": \"x'; DROP TABLE app_user;--\"}", 400, "letters, digits"),
                c("admin: admin not a boolean", "POST", "/api/admin/users", JSON, "{\"name\": \"ok\", \"admin\": \"yes\"}", 400, "admin"),
                c("admin: malformed user id", "POST", "/api/admin/users/not-a-uuid/keys", JSON, "{}", 400, "user: 'not-a-uuid' is not an id"),
                c("admin: unknown user", "POST", "/api/admin/users/00000000-0000-4000-8000-000000000000/keys", JSON, "{}", 404,
                        "User 00000000-0000-4000-8000-000000000000 not found"),
                c("admin: malformed key id", "DELETE", "/api/admin/keys/1%27%20OR%201=1", JSON, null, 400, "key: '1' OR 1=1' is not an id"),
                c("admin: unknown key", "DELETE", "/api/admin/keys/00000000-0000-4000-8000-000000000000", JSON, null, 404, "No API key"),
                // Bulk links, NDJSON
                c("ndjson: a bad line", "POST", bulkPath, NDJSON, link("") + "\n{\"input\": 7}\n", 400, "line 2"),
                c("ndjson: not JSON", "POST", bulkPath, NDJSON, link("") + "\nhello\n", 400, "line 2"),
                c("ndjson: unknown option", "POST", bulkPath + "?mode=merge", NDJSON, link("") + "\n", 400, "mode must be"),
                c("ndjson: a line cut short", "POST", bulkPath, NDJSON, link("") + "\n{\"input\": \"{a}\"", 400, "line 2"),
                c("ndjson: lone surrogate in a name", "POST", bulkPath, NDJSON, link("") + "\n" + link(", \"name\": \"\\udc00\"")
                        + "\n", 400, "item 1 (line 2): name holds a lone UTF-16 surrogate (\\udc00)"),
                c("ndjson: link and linkType differ", "POST", bulkPath, NDJSON, link(", \"link\": \"other|folder|folder\"")
                        + "\n", 400, "item 0 (line 1): link and linkType are both given"),
                // Single links
                c("link: input not an id", "POST", "/api/p/{p}/links", JSON,
                        "{\"input\": \"not-an-id\", \"output\": \"{b}\", \"linkType\": \"" + BREAKDOWN + "\"}", 400, "not-an-id"),
                c("link: type missing", "POST", "/api/p/{p}/links", JSON, "{\"input\": \"{a}\", \"output\": \"{b}\"}", 400, "linkType"),
                c("link: unknown field", "POST", "/api/p/{p}/links", JSON, link(", \"weight\": 3"), 400, "Unknown field 'weight'"),
                c("link: lone surrogate in data", "POST", "/api/p/{p}/links", JSON, link(", \"data\": {\"a\": [\"\\ud800\"]}"),
                        400, "data.a[0] holds a lone UTF-16 surrogate (\\ud800)"),
                c("link: link and linkType differ", "POST", "/api/p/{p}/links", JSON, link(", \"link\": \"other|folder|folder\""),
                        400, "link and linkType are both given, with different values"),
                c("link: malformed JSON", "POST", "/api/p/{p}/links", JSON, "{\"input\": ", 400, "ends too early"),
                c("link: type of three parts needed", "POST", "/api/p/{p}/links", JSON,
                        "{\"input\": \"{a}\", \"output\": \"{b}\", \"linkType\": \"breakdown\"}", 400,
                        "must be name|input_type|output_type"),
                c("link: bad id in the path", "GET", "/api/p/{p}/links/123", null, null, 400, "is not an id"),
                c("links: limit 0", "GET", "/api/p/{p}/links?limit=0", null, null, 400, "limit"),
                c("links: cursor garbage", "GET", "/api/p/{p}/links?cursor=zzz", null, null, 400, "cursor"),
                c("links: input not an id", "GET", "/api/p/{p}/links?input=1%27%20OR%201=1", null, null, 400, "not an id"),
                // Entities
                c("entity: name a number", "POST", "/api/p/{p}/entities", JSON, "{\"type\": \"folder\", \"name\": 5}", 400, "name must be a string"),
                c("entity: unknown field", "POST", "/api/p/{p}/entities", JSON, "{\"type\": \"folder\", \"name\": \"x\", \"size\": 1}", 400, "Unknown field 'size'"),
                c("entity: type missing", "POST", "/api/p/{p}/entities", JSON, "{\"name\": \"x\"}", 400, "type"),
                c("entity: invalid UTF-8", "POST", "/api/p/{p}/entities", JSON, invalidUtf8(), 400, "UTF-8"),
                c("entity: lone surrogate in the name", "POST", "/api/p/{p}/entities", JSON,
                        "{\"type\": \"folder\", \"name\": \"chair\\ud800\"}", 400, "name holds a lone UTF-16 surrogate"),
                c("entities bulk: lone surrogate in a data key", "POST", "/api/p/{p}/entities/bulk", JSON,
                        "{\"entities\": [{\"type\": \"folder\", \"name\": \"x\", \"data\": {\"\\udc00\": 1}}]}", 400,
                        "entities[0].data has a field name that holds a lone UTF-16 surrogate"),
                c("entity: bad id in the path", "GET", "/api/p/{p}/entities/' OR 1=1 --", null, null, 400, "is not an id"),
                c("entities bulk: not an array", "POST", "/api/p/{p}/entities/bulk", JSON, "{\"entities\": 3}", 400, "entities must be an array"),
                c("entities bulk: name missing", "POST", "/api/p/{p}/entities/bulk", JSON, "{\"entities\": [{\"type\": \"folder\"}]}", 400, "name is required"),
                // Projects and link types
                c("project: name with spaces", "POST", "/api/projects", JSON, "{\"name\": \"Bad Name\"}", 400, "Project names"),
                c("project: SQL-looking name", "POST", "/api/projects", JSON, "{\"name\": \"x'); DROP TABLE project;--\"}", 400, "Project names"),
                c("project: not JSON", "POST", "/api/projects", JSON, "not json", 400, "Malformed JSON"),
                c("project: body over 1 MB", "POST", "/api/projects", JSON, "{\"name\": \"" + megabyte + "\"}", 413, "bulk endpoints"),
                c("project: name of the wrong type", "POST", "/api/projects", JSON, "{\"name\": [\"a\"]}", 400, "name must be a string"),
                c("link type: two parts", "PUT", "/api/p/{p}/links/types/breakdown%7Cfolder", JSON, "{}", 400,
                        "must be name|input_type|output_type"),
                c("link type: data not an object", "PUT", "/api/p/{p}/links/types/reference%7Cfolder%7Cfolder", JSON, "{\"data\": 5}", 400, "data"),
                c("link type: lone surrogate in data", "PUT", "/api/p/{p}/links/types/reference%7Cfolder%7Cfolder", JSON,
                        "{\"data\": {\"label\": \"\\udc00\"}}", 400, "data.label holds a lone UTF-16 surrogate"),
                // Jobs
                c("job: token not a UUID", "GET", "/api/p/{p}/jobs/nope", null, null, 400, "job tokens are UUIDs"),
                c("jobs: unknown status", "GET", "/api/p/{p}/jobs?status=finished", null, null, 400, "status must be one of"),
                c("results: unknown outcome", "GET", "/api/p/{p}/jobs/{j}/results?outcome=maybe", null, null, 400, "outcome must be"),
                c("results: negative offset", "GET", "/api/p/{p}/jobs/{j}/results?offset=-1", null, null, 400, "offset"),
                c("results: limit not a number", "GET", "/api/p/{p}/jobs/{j}/results?limit=ten", null, null, 400, "limit"),
                c("cancel: token not a UUID", "POST", "/api/p/{p}/jobs/1;DROP/cancel", null, null, 400, "job tokens are UUIDs"),
                // Sync feed
                c("sync: cc_cursor a string", "POST", "/sync/get", JSON, "{\"cc_cursor\": \"5\"}", 400, "cc_cursor"),
                c("sync: cursor a string", "POST", "/sync/get", JSON, "{\"project\": \"{p}\", \"cursor\": \"abc\"}", 400,
                        "cursor"),
                c("sync: cc_cursor a fraction", "POST", "/sync/get", JSON, "{\"cc_cursor\": 1.5}", 400, "cc_cursor"),
                c("sync: cc_cursor past a long", "POST", "/sync/get", JSON, "{\"cc_cursor\": 99999999999999999999}", 400,
                        "cc_cursor"),
                c("sync: negative cc_cursor", "POST", "/sync/get", JSON, "{\"cc_cursor\": -5}", 400,
                        "cc_cursor must be 0 or more"),
                c("sync: negative cursor", "POST", "/sync/get", JSON, "{\"project\": \"{p}\", \"cursor\": -1}", 400,
                        "cursor must be 0 or more"),
                c("sync: cc_cursor ahead of the feed", "POST", "/sync/get", JSON, "{\"cc_cursor\": 900000000000000}", 410,
                        "was not given by this feed"),
                c("sync: cursor ahead of the feed", "POST", "/sync/get", JSON,
                        "{\"project\": \"{p}\", \"cursor\": 900000000000000}", 410, "resync"),
                c("sync: cursor without project", "POST", "/sync/get", JSON, "{\"cursor\": 0}", 400, "give project too"),
                c("sync: project without cursor", "POST", "/sync/get", JSON, "{\"project\": \"{p}\"}", 400,
                        "project needs its cursor"),
                c("sync: nothing to read", "POST", "/sync/get", JSON, "{}", 400, "Say what to read"),
                c("sync: unknown project", "POST", "/sync/get", JSON, "{\"project\": \"nosuch\", \"cursor\": 0}", 404,
                        "Project 'nosuch' not found"),
                c("sync: project not a name", "POST", "/sync/get", JSON, "{\"project\": \"a b\", \"cursor\": 0}", 400,
                        "Project names are"),
                c("sync: unknown field", "POST", "/sync/get", JSON, "{\"since\": 1}", 400, "Unknown field 'since'"),
                c("sync: old request shape", "POST", "/sync/get", JSON, "{\"cursor\": 40, \"limit\": 10}", 400,
                        "give project too"),
                c("sync: limit 0", "POST", "/sync/get", JSON, "{\"cc_cursor\": 0, \"limit\": 0}", 400, "limit"),
                c("sync cursors: a field", "POST", "/sync/cursors", JSON, "{\"project\": \"{p}\"}", 400,
                        "Unknown field 'project'"),
                // Methods
                c("wrong method", "DELETE", "/api/projects", null, null, 405, "Method not allowed")));
        cases.add(new Case("sync stream: cursor a word", "GET", "/sync/stream?cursor=abc", null, null,
                Map.of("Accept", "text/event-stream"), 400, "cursor"));
        cases.add(new Case("bulk: Idempotency-Key with spaces", "POST", bulkPath, JSON, bulk(link("")),
                Map.of("Idempotency-Key", "my key"), 400, "Idempotency-Key must be"));
        return cases.stream();
    }

    private void setUp() {
        if (project != null) {
            return;
        }
        Api.FolderPair pair = Api.folderPair();
        project = pair.project();
        a = pair.a();
        b = pair.b();
        job = Api.submit(project, "/links/bulk", Map.of("links", List.of(dev.bulklinks.fixtures.Api.link(a, b, BREAKDOWN))));
        Api.awaitFinal(project, job);
    }

    private String fill(String text) {
        return text.replace("{p}", project).replace("{a}", a).replace("{b}", b).replace("{j}", job);
    }

    /** Rows of every table a request could write to. */
    private List<Long> rows() throws Exception {
        List<Long> counts = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String table : List.of("project", "entity", "link", "link_type", "job", "job_chunk", "idempotency_key")) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    counts.add(rs.getLong(1));
                }
            }
        }
        return counts;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    @Order(1)
    void refusedInTheEnvelopeAndNothingStored(Case bad) throws Exception {
        setUp();
        List<Long> before = rows();
        RequestSpecification request = given().urlEncodingEnabled(false).headers(bad.headers());
        if (!bad.headers().containsKey("Accept")) {
            request.accept(JSON);
        }
        if (bad.contentType() != null) {
            request.contentType(bad.contentType() + "; charset=UTF-8");
        }
        if (bad.body() instanceof String text) {
            request.body(fill(text).getBytes(StandardCharsets.UTF_8));
        } else if (bad.body() instanceof byte[] bytes) {
            request.body(bytes);
        }
        String path = fill(bad.path()).replace(" ", "%20").replace("'", "%27").replace(";", "%3B");
        Response response = request.request(bad.method(), path);

        assertThat(response.statusCode()).as("%s: %s", bad.name(), response.asString()).isEqualTo(bad.status());
        JsonPath body = response.jsonPath();
        assertThat(body.getBoolean("success")).isFalse();
        assertThat(body.getInt("result.code")).isEqualTo(bad.status());
        assertThat(body.getString("result.message")).contains(bad.message());
        assertThat(body.getMap("data")).isEmpty();
        assertThat(rows()).as("rows of project, entity, link, link_type, job, job_chunk, idempotency_key")
                .isEqualTo(before);
    }

    @Test
    @Order(2)
    void serviceIsStillHealthyAfterwards() {
        setUp();
        assertThat(corpus().count()).isGreaterThanOrEqualTo(40);
        given().get("/q/health/ready").then().statusCode(200);
        Api.submit(project, "/links/bulk", Map.of("links", List.of(dev.bulklinks.fixtures.Api.link(a, b, BREAKDOWN))));
    }
}
