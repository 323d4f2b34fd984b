package dev.bulklinks.auth;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.SignedIn;
import dev.bulklinks.fixtures.SseClient;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
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
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who may do what: 401 for a token that is missing, malformed, expired, forged or of a revoked key;
 * 403 for a project the caller is not a member of and for link types outside its allow-list; 404,
 * never 403, for another project's jobs, links and entities asked through the caller's own project.
 */
@QuarkusTest
class AuthTest {

    private static final String OTHER_TYPE = "depends|folder|folder";

    @Inject
    AgroalDataSource dataSource;

    @TestHTTPResource("/")
    URL base;

    private String mine;
    private String theirs;
    private String memberKeyId;
    private String memberKey;
    private String memberName;

    @BeforeEach
    void setUp() {
        mine = Api.newProject();
        theirs = Api.newProject();
        for (String project : List.of(mine, theirs)) {
            Api.registerType(project, BREAKDOWN);
            Api.registerType(project, OTHER_TYPE);
        }
        Api.Member member = Api.member("member", mine, Map.of("linkTypes", List.of(BREAKDOWN)));
        memberName = member.name();
        memberKeyId = member.keyId();
        memberKey = member.apiKey();
        assertThat(memberKey).startsWith("blk_");
    }

    private String memberBearer() {
        return "Bearer " + SignedIn.token(memberKey);
    }

    @Test
    void signInAnswersTheBareTokenInTheAuthorizationHeader() {
        // Bare, as Unicat answers it: its client sends back "Bearer " + the header, verbatim.
        String token = json().header(SignedIn.ANONYMOUS, "1").body(Map.of("api_key", memberKey)).post("/api/auth").then()
                .statusCode(200).header("Authorization", matchesPattern("ey[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"))
                .header("WWW-Authenticate", nullValue()).body("result.user", equalTo(memberName))
                .extract().header("Authorization");
        json().header("Authorization", "Bearer " + token).get("/api/p/{p}/links", mine).then().statusCode(200);
        json().header(SignedIn.ANONYMOUS, "1").body(Map.of("api_key", "blk_not-a-key")).post("/api/auth").then()
                .statusCode(401).body("result.code", equalTo(401)).body("result.message", equalTo("Unknown or revoked API key."));
    }

    @Test
    void missingOrMalformedTokensAre401WithAChallenge() {
        json().header(SignedIn.ANONYMOUS, "1").get("/api/p/{p}/links", mine).then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer")).body("success", equalTo(false))
                .body("result.message", startsWith("Send Authorization: Bearer <token>"));
        json().header("Authorization", "Basic YWRtaW46YWRtaW4=").get("/api/p/{p}/links", mine).then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"));
        json().header("Authorization", "Bearer not.a.jwt").get("/api/p/{p}/links", mine).then().statusCode(401)
                .body("result.message", startsWith("The token is not valid"));
        json().header(SignedIn.ANONYMOUS, "1").body(Map.of()).post("/sync/get").then().statusCode(401);
    }

    @Test
    void expiredAndForgedTokensAre401() throws Exception {
        String[] stored = storedSigningKey();
        PrivateKey serviceKey = KeyUtils.decodePrivateKey(stored[0]);
        String expired = Jwt.issuer("bulk-links").subject(UUID.randomUUID().toString()).claim("key", memberKeyId)
                .issuedAt(Instant.now().minus(Duration.ofHours(2))).expiresAt(Instant.now().minus(Duration.ofHours(1)))
                .jws().sign(serviceKey);
        json().header("Authorization", "Bearer " + expired).get("/api/p/{p}/links", mine).then().statusCode(401)
                .body("result.message", startsWith("The token has expired"));

        PrivateKey otherKey = KeyUtils.generateKeyPair(2048).getPrivate();
        String forged = Jwt.issuer("bulk-links").subject(UUID.randomUUID().toString()).claim("key", memberKeyId)
                .expiresIn(Duration.ofHours(1)).jws().sign(otherKey);
        json().header("Authorization", "Bearer " + forged).get("/api/p/{p}/links", mine).then().statusCode(401)
                .body("result.message", startsWith("The token is not valid"));
    }

    private String[] storedSigningKey() throws Exception {
        try (Connection c = dataSource.getConnection();
                ResultSet rs = c.createStatement().executeQuery("SELECT private_key, public_key FROM signing_key")) {
            assertThat(rs.next()).isTrue();
            return new String[] {rs.getString(1), rs.getString(2)};
        }
    }

    @Test
    void aRevokedKeysTokensStopAtTheNextRequest() {
        String bearer = memberBearer();
        json().header("Authorization", bearer).get("/api/p/{p}/links", mine).then().statusCode(200);
        json().delete("/api/admin/keys/{k}", memberKeyId).then().statusCode(200).body("result.revoked", equalTo(true));
        json().header("Authorization", bearer).get("/api/p/{p}/links", mine).then().statusCode(401)
                .body("result.message", startsWith("The API key this token was issued for has been revoked"));
        json().header(SignedIn.ANONYMOUS, "1").body(Map.of("api_key", memberKey)).post("/api/auth").then().statusCode(401);
    }

    @Test
    void aProjectTheCallerIsNotAMemberOfIs403() {
        String bearer = memberBearer();
        json().header("Authorization", bearer).get("/api/p/{p}/links", theirs).then().statusCode(403)
                .body("result.code", equalTo(403)).body("result.message", startsWith("You are not a member of project"));
        json().header("Authorization", bearer).body(Map.of("project", theirs)).post("/sync/get").then().statusCode(403);
        json().header("Authorization", bearer).body(Map.of("name", "x" + memberName.substring(7).replace("-", "")))
                .post("/api/projects").then().statusCode(403);
        json().header("Authorization", bearer).get("/api/admin/users").then().statusCode(403);
        List<String> visible = json().header("Authorization", bearer).get("/api/projects").then().statusCode(200)
                .extract().path("result.projects.name");
        assertThat(visible).containsExactly(mine);
    }

    @Test
    void anotherProjectsJobsLinksAndEntitiesAre404ThroughTheCallersProject() {
        String a = Api.entity(theirs, "folder", "a");
        String b = Api.entity(theirs, "folder", "b");
        String link = json().body(Api.link(a, b, BREAKDOWN)).post("/api/p/{p}/links", theirs).then().statusCode(201)
                .extract().path("result.id");
        String job = Api.submit(theirs, "/links/bulk", Map.of("links", List.of(Api.link(a, b, BREAKDOWN))));

        String bearer = memberBearer();
        json().header("Authorization", bearer).get("/api/p/{p}/jobs/{t}", mine, job).then().statusCode(404);
        json().header("Authorization", bearer).get("/api/p/{p}/jobs/{t}/results", mine, job).then().statusCode(404);
        json().header("Authorization", bearer).post("/api/p/{p}/jobs/{t}/cancel", mine, job).then().statusCode(404);
        json().header("Authorization", bearer).get("/api/p/{p}/links/{id}", mine, link).then().statusCode(404);
        json().header("Authorization", bearer).get("/api/p/{p}/entities/{id}", mine, a).then().statusCode(404);
    }

    @Test
    void linkTypesOutsideTheAllowListAre403AloneAndPerItemInJobs() {
        String a = Api.entity(mine, "folder", "a");
        String b = Api.entity(mine, "folder", "b");
        String bearer = memberBearer();
        json().header("Authorization", bearer).body(Api.link(a, b, OTHER_TYPE)).post("/api/p/{p}/links", mine).then()
                .statusCode(403).body("result.message", equalTo("You may not create links of type " + OTHER_TYPE + "."));
        String created = json().header("Authorization", bearer).body(Api.link(a, b, BREAKDOWN))
                .post("/api/p/{p}/links", mine).then().statusCode(201).extract().path("result.id");
        json().get("/api/p/{p}/links/{id}", mine, created).then().body("result.author", equalTo(memberName));

        String token = json().header("Authorization", bearer)
                .body(Map.of("links", List.of(Api.link(a, b, BREAKDOWN), Api.link(a, b, OTHER_TYPE), Api.link(b, a, BREAKDOWN))))
                .post("/api/p/{p}/links/bulk", mine).then().statusCode(202).extract().path("result.'job.token'");
        JsonPath job = Api.awaitFinal(mine, token);
        assertThat(job.getString("submitted_by")).isEqualTo(memberName);
        assertThat(job.getInt("info.succeeded")).isEqualTo(2);
        assertThat(job.getInt("info.failed")).isEqualTo(1);
        JsonPath results = json().header("Authorization", bearer).get("/api/p/{p}/jobs/{t}/results", mine, token)
                .then().statusCode(200).extract().jsonPath();
        assertThat(results.getInt("result.items[1].error.code")).isEqualTo(403);
        String written = results.getString("result.items[0].id");
        json().get("/api/p/{p}/links/{id}", mine, written).then().body("result.author", equalTo(memberName));
    }

    @Test
    void aMembersSyncStreamCarriesNoEventOfAnotherProject() throws Exception {
        String a = Api.entity(theirs, "folder", "a");
        String b = Api.entity(theirs, "folder", "b");
        String x = Api.entity(mine, "folder", "x");
        String y = Api.entity(mine, "folder", "y");
        long start = json().body(Map.of()).post("/sync/cursors").then().statusCode(200).extract().jsonPath()
                .getLong("result.'cc.cursor'");
        List<SseClient.Event> received = new ArrayList<>();
        String url = base.toString() + "sync/stream?cursor=" + start;
        try (SseClient stream = SseClient.open(url, null, memberBearer())) {
            assertThat(stream.status()).isEqualTo(200);
            String other = Api.submit(theirs, "/links/bulk", Map.of("links", List.of(Api.link(a, b, BREAKDOWN))));
            Api.awaitFinal(theirs, other);
            String own = Api.submit(mine, "/links/bulk", Map.of("links", List.of(Api.link(x, y, BREAKDOWN))));
            received.addAll(stream.until(e -> e.name().equals("jobs") && e.data().contains(own)
                    && e.data().contains("\"status\":\"done\""), Duration.ofSeconds(30)));
        }
        assertThat(received).isNotEmpty();
        assertThat(received).allSatisfy(e -> assertThat(e.data()).contains("\"project_gid\":\"" + mine + "\"")
                .doesNotContain(theirs));
    }

    @Test
    void theOpenApiDocumentSaysWhichRoutesTakeTheToken() {
        JsonPath doc = io.restassured.RestAssured.given().header(SignedIn.ANONYMOUS, "1").queryParam("format", "json")
                .get("/q/openapi").then().statusCode(200).extract().jsonPath();
        assertThat(doc.getMap("components.securitySchemes.bearer")).containsEntry("type", "http")
                .containsEntry("scheme", "bearer");
        assertThat(doc.getList("paths.'/api/p/{project}/links/bulk'.post.security.bearer")).hasSize(1);
        assertThat(doc.getList("paths.'/sync/get'.post.security.bearer")).hasSize(1);
        assertThat(doc.getList("paths.'/api/auth'.post.security")).isNull();
        assertThat(doc.getList("paths.'/api/p/{project}/auth'.post.security")).isNull();
        assertThat(doc.getMap("paths.'/api/p/{project}/auth'.post.responses")).containsKeys("200", "400", "401", "403");
    }
}
