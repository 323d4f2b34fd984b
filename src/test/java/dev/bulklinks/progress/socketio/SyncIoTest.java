package dev.bulklinks.progress.socketio;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.SignedIn;
import dev.bulklinks.fixtures.SyncIoClient;
import dev.bulklinks.fixtures.SyncIoClient.Transport;
import dev.bulklinks.progress.SyncEvent;
import dev.bulklinks.progress.SyncQuery;
import dev.bulklinks.progress.SyncFeed;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import jakarta.inject.Inject;
import java.net.URL;
import java.security.PrivateKey;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Unicat's push over socket.io at {@code /sync/io}, with a real socket.io client over each Engine.IO
 * transport: a job's sync items arrive to {@code done}, exactly as the feed stores them; a client that
 * gives a cursor catches up from it; the caller sees only its projects; bad tokens and cursors are
 * refused as {@code connect_error} with the reason.
 */
@QuarkusTest
class SyncIoTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TestHTTPResource("/")
    URL base;
    @Inject
    SyncFeed feed;
    @Inject
    ObjectMapper json;
    @Inject
    AgroalDataSource dataSource;

    private String baseUrl() {
        return base.toString().replaceAll("/$", "");
    }

    private static String adminToken() {
        return SignedIn.bearer().substring("Bearer ".length());
    }

    /** A job of {@code count} links in a new project; answers the project and the job's token. */
    private static String[] submitLinks(Api.FolderPair pair, int count) {
        List<Map<String, Object>> links = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            links.add(Api.link(pair.a(), pair.b(), BREAKDOWN));
        }
        return new String[] {pair.project(), Api.submit(pair.project(), "/links/bulk", Map.of("links", links))};
    }

    private static Predicate<JSONObject> doneItemOf(String token) {
        return item -> "jobs".equals(item.optString("data_type")) && token.equals(item.optString("data_key"))
                && "done".equals(item.getJSONObject("data").optString("status"));
    }

    private static List<JSONObject> ofProject(List<JSONObject> items, String project) {
        return items.stream().filter(item -> project.equals(item.getJSONObject("data").optString("project_gid"))).toList();
    }

    /** The stored feed's items of {@code project} after {@code after}, as the service writes them. */
    private List<JSONObject> stored(long after, String project) throws Exception {
        List<JSONObject> items = new ArrayList<>();
        for (SyncEvent event : feed.read(SyncQuery.everything(Set.of(project), after), Long.MAX_VALUE, 1000,
                Long.MAX_VALUE).items()) {
            items.add(new JSONObject(json.writeValueAsString(event)));
        }
        return items;
    }

    private static void assertSameItems(List<JSONObject> got, List<JSONObject> stored) {
        assertThat(got).hasSameSizeAs(stored);
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i).similar(stored.get(i))).as("item %d: %s\nstored: %s", i, got.get(i), stored.get(i))
                    .isTrue();
        }
    }

    /**
     * Live items: every stored item, exactly; besides them only progress items that a later one replaced
     * in the stored feed (it keeps one progress item a job, and none once the job ended).
     */
    private static void assertStoredItemsAmong(List<JSONObject> got, List<JSONObject> stored) {
        Map<Long, JSONObject> byCursor = new java.util.HashMap<>();
        got.forEach(item -> byCursor.put(item.getLong("cursor"), item));
        for (JSONObject item : stored) {
            JSONObject same = byCursor.remove(item.getLong("cursor"));
            assertThat(same).as("stored item %s was not pushed", item).isNotNull();
            assertThat(same.similar(item)).as("pushed: %s\nstored: %s", same, item).isTrue();
        }
        assertThat(byCursor.values()).allSatisfy(item -> {
            assertThat(item.getString("data_type")).isEqualTo("jobs");
            assertThat(item.getJSONObject("data").getString("status")).isEqualTo("processing");
        });
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aJobsSyncItemsArriveToDoneExactlyAsStored(Transport transport) throws Exception {
        Api.FolderPair pair = Api.folderPair();
        try (SyncIoClient client = SyncIoClient.connect(baseUrl(), transport, Map.of("JWT", adminToken()))) {
            JSONObject authorization = client.authorization(WAIT);
            assertThat(authorization.getBoolean("success")).isTrue();
            assertThat(authorization.getString("JWT")).isEqualTo(adminToken());
            long before = feed.newest();

            String[] job = submitLinks(pair, 250);
            List<JSONObject> items = ofProject(client.until(doneItemOf(job[1]), WAIT), pair.project());

            assertThat(client.transports()).containsOnly(transport.name().toLowerCase());
            assertThat(items).extracting(item -> item.getLong("cursor")).isSorted().doesNotHaveDuplicates()
                    .allSatisfy(cursor -> assertThat(cursor).isGreaterThan(before));
            // Job items are Unicat's global ("cc") items; links written are the project's own items.
            assertThat(items).allSatisfy(item -> assertThat(item.getString("type"))
                    .isEqualTo(item.getString("data_type").equals("jobs") ? "cc" : pair.project()));
            assertThat(items).filteredOn(item -> item.getString("data_type").equals("jobs"))
                    .extracting(item -> item.getJSONObject("data").getString("status"))
                    .startsWith("queued", "processing").endsWith("done");
            assertThat(items).filteredOn(item -> item.getString("data_type").equals("links"))
                    .extracting(item -> item.getJSONObject("data").getInt("count")).containsExactlyInAnyOrder(100, 100, 50);
            assertStoredItemsAmong(items, stored(before, pair.project()));
        }
    }

    @Test
    void aClientThatGivesItsCursorsCatchesUpFromThem() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        long before = feed.newest();
        String[] job = submitLinks(pair, 120);
        assertThat(Api.awaitFinal(job[0], job[1]).getString("status")).isEqualTo("done");

        // Each reading goes on after its own cursor: the job items after cc_cursor; the project's items
        // (links written) after cursor, which the client had already read up to the job's end.
        try (SyncIoClient client = SyncIoClient.connect(baseUrl(), Transport.WEBSOCKET,
                Map.of("JWT", adminToken(), "cc_cursor", before, "cursor", feed.newest(), "project", pair.project()))) {
            List<JSONObject> items = client.until(doneItemOf(job[1]), WAIT);
            assertSameItems(items, stored(before, pair.project()).stream()
                    .filter(item -> item.getString("type").equals("cc")).toList());
        }
        // With cc_cursor alone (Unicat's job tracker keeps only that), both readings go on after it.
        try (SyncIoClient client = SyncIoClient.connect(baseUrl(), Transport.POLLING,
                Map.of("JWT", adminToken(), "cc_cursor", before, "project", pair.project()))) {
            List<JSONObject> items = client.until(doneItemOf(job[1]), WAIT);
            assertSameItems(items, stored(before, pair.project()));
        }
    }

    @Test
    void aMemberGetsTheItemsOfItsProjectsOnly() throws Exception {
        Api.FolderPair mine = Api.folderPair();
        Api.FolderPair theirs = Api.folderPair();
        String key = Api.member("io", mine.project(), Map.of()).apiKey();

        try (SyncIoClient client = SyncIoClient.connect(baseUrl(), Transport.POLLING,
                Map.of("JWT", SignedIn.token(key)))) {
            client.authorization(WAIT);
            String[] other = submitLinks(theirs, 10);
            assertThat(Api.awaitFinal(other[0], other[1]).getString("status")).isEqualTo("done");
            String[] own = submitLinks(mine, 10);
            List<JSONObject> items = client.until(doneItemOf(own[1]), WAIT);
            assertThat(items).extracting(item -> item.getJSONObject("data").getString("project_gid"))
                    .containsOnly(mine.project());
        }
        try (SyncIoClient client = SyncIoClient.connect(baseUrl(), Transport.WEBSOCKET,
                Map.of("JWT", SignedIn.token(key), "project", theirs.project()))) {
            assertRefused(client, 403, "You are not a member of project '" + theirs.project() + "'.");
        }
    }

    @Test
    void aTokenPastHalfItsLifeIsRenewedInTheAuthorizationEvent() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        Api.Member member = Api.member("socket", pair.project(), Map.of());
        String old = Jwt.issuer("bulk-links").subject(member.id()).upn(member.name()).claim("key", member.keyId())
                .issuedAt(Instant.now().minus(Duration.ofMinutes(50))).expiresAt(Instant.now().plus(Duration.ofMinutes(10)))
                .jws().sign(KeyUtils.decodePrivateKey(storedSigningKey()[0]));

        try (SyncIoClient client = SyncIoClient.connect(baseUrl(), Transport.WEBSOCKET, Map.of("JWT", old))) {
            JSONObject authorization = client.authorization(WAIT);
            assertThat(authorization.getBoolean("success")).isTrue();
            String renewed = authorization.getString("JWT");
            assertThat(renewed).isNotEqualTo(old);
            // The renewed token works, over HTTP and for a socket, and is young: not renewed again.
            given().header("Authorization", "Bearer " + renewed).get("/api/p/{p}/jobs", pair.project()).then()
                    .statusCode(200).header("Authorization", org.hamcrest.Matchers.nullValue());
            try (SyncIoClient again = SyncIoClient.connect(baseUrl(), Transport.POLLING, Map.of("JWT", renewed))) {
                assertThat(again.authorization(WAIT).getString("JWT")).isEqualTo(renewed);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void badTokensAreRefusedWithTheReason(Transport transport) throws Exception {
        try (SyncIoClient client = SyncIoClient.connect(baseUrl(), transport, Map.of())) {
            assertRefused(client, 401, "Connect with the auth payload {\"JWT\": \"<token>\"}");
        }
        try (SyncIoClient client = SyncIoClient.connect(baseUrl(), transport, Map.of("JWT", "not.a.jwt"))) {
            assertRefused(client, 401, "The token is not valid");
        }
        String[] stored = storedSigningKey();
        PrivateKey serviceKey = KeyUtils.decodePrivateKey(stored[0]);
        String expired = Jwt.issuer("bulk-links").subject(UUID.randomUUID().toString())
                .claim("key", UUID.randomUUID().toString()).issuedAt(Instant.now().minus(Duration.ofHours(2)))
                .expiresAt(Instant.now().minus(Duration.ofHours(1))).jws().sign(serviceKey);
        try (SyncIoClient client = SyncIoClient.connect(baseUrl(), transport, Map.of("JWT", expired))) {
            assertRefused(client, 401, "The token has expired");
        }
        String forged = Jwt.issuer("bulk-links").subject(UUID.randomUUID().toString())
                .claim("key", UUID.randomUUID().toString()).expiresIn(Duration.ofHours(1)).jws()
                .sign(KeyUtils.generateKeyPair(2048).getPrivate());
        try (SyncIoClient client = SyncIoClient.connect(baseUrl(), transport, Map.of("JWT", forged))) {
            assertRefused(client, 401, "The token is not valid");
        }
    }

    @Test
    void badCursorsAndProjectsAreRefusedWithTheReason() throws Exception {
        long newest = feed.newest();
        Map<Map<String, Object>, String> refusals = Map.of(
                Map.of("cc_cursor", "5"), "cc_cursor must be a cursor this feed answered",
                Map.of("cursor", -1), "cursor must be a cursor this feed answered",
                Map.of("cursor", 1.5), "cursor must be a cursor this feed answered",
                Map.of("cursor", newest + 1000), "cursor " + (newest + 1000) + " was not given by this feed",
                Map.of("project", "no_such_project"), "Project 'no_such_project' not found",
                Map.of("project", 7), "project must be the name of a project");
        for (Map.Entry<Map<String, Object>, String> refusal : refusals.entrySet()) {
            Map<String, Object> auth = new java.util.HashMap<>(refusal.getKey());
            auth.put("JWT", adminToken());
            try (SyncIoClient client = SyncIoClient.connect(baseUrl(), Transport.WEBSOCKET, auth)) {
                JSONObject error = client.refusal(WAIT);
                assertThat(error.getString("message")).as("%s", auth).startsWith(refusal.getValue());
                assertThat(error.getJSONObject("data").getInt("code")).as("%s", auth).isBetween(400, 499);
            }
        }
    }

    private static void assertRefused(SyncIoClient client, int code, String message) {
        JSONObject error = client.refusal(WAIT);
        assertThat(error.getString("message")).startsWith(message);
        assertThat(error.getJSONObject("data").getInt("code")).isEqualTo(code);
        assertThat(error.getJSONObject("data").getString("message")).isEqualTo(error.getString("message"));
        assertThat(client.items()).isEmpty();
    }

    @Test
    void pollingRequestsNeedNoAuthorizationHeaderAndBadOnesAre400() {
        // The handshake of the polling transport: no Authorization header, the token comes in the auth packet.
        String open = given().header(SignedIn.ANONYMOUS, "1").get("/sync/io/?EIO=4&transport=polling").then()
                .statusCode(200).extract().asString();
        assertThat(open).startsWith("0{\"sid\":");

        given().header(SignedIn.ANONYMOUS, "1").get("/sync/io/").then().statusCode(400)
                .body("success", equalTo(false)).body("result.message", startsWith("Connect with a socket.io client"));
        given().header(SignedIn.ANONYMOUS, "1").get("/sync/io/?EIO=4&transport=polling&t=1&t=2").then().statusCode(400)
                .body("result.code", equalTo(400));
        given().header(SignedIn.ANONYMOUS, "1").get("/sync/io/?EIO=3&transport=polling").then().statusCode(400);
        given().header(SignedIn.ANONYMOUS, "1").get("/sync/io/?EIO=4&transport=polling&sid=unknown").then()
                .statusCode(400).body("message", equalTo("Session ID unknown"));
        given().header(SignedIn.ANONYMOUS, "1").get("/sync/io/?EIO=4&transport=websocket").then().statusCode(400)
                .body("result.message", startsWith("transport=websocket needs a websocket upgrade"));
        given().header(SignedIn.ANONYMOUS, "1").body(new byte[SyncIoRoute.MAX_BODY + 1])
                .post("/sync/io/?EIO=4&transport=polling&sid=x").then().statusCode(413).body("result.code", equalTo(413));
        // The rest of /sync stays guarded.
        json().header(SignedIn.ANONYMOUS, "1").body(Map.of()).post("/sync/get").then().statusCode(401);
    }

    private String[] storedSigningKey() throws Exception {
        try (Connection c = dataSource.getConnection();
                ResultSet rs = c.createStatement().executeQuery("SELECT private_key, public_key FROM signing_key")) {
            assertThat(rs.next()).isTrue();
            return new String[] {rs.getString(1), rs.getString(2)};
        }
    }
}
