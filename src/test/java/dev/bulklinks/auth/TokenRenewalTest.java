package dev.bulklinks.auth;

import static dev.bulklinks.fixtures.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.SignedIn;
import dev.bulklinks.fixtures.SseClient;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A token past half its lifetime comes back renewed, bare, in the Authorization header of any answer
 * past the auth gate (a page, an error, a stream), and the renewed token works; a young token is not
 * renewed; WWW-Authenticate goes with 401 only.
 */
@QuarkusTest
class TokenRenewalTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource dataSource;
    @Inject
    Tokens tokens;

    @TestHTTPResource("/")
    URL base;

    private String project;
    private String userId;
    private String userName;
    private String keyId;
    private String apiKey;

    @BeforeEach
    void setUp() {
        project = Api.newProject();
        Api.Member member = Api.member("renew", project, Map.of());
        userId = member.id();
        userName = member.name();
        keyId = member.keyId();
        apiKey = member.apiKey();
    }

    /** A token of the service's own making, issued {@code age} ago and expiring {@code left} from now. */
    private String token(Duration age, Duration left) throws Exception {
        String privateKey;
        try (Connection c = dataSource.getConnection();
                ResultSet rs = c.createStatement().executeQuery("SELECT private_key FROM signing_key")) {
            assertThat(rs.next()).isTrue();
            privateKey = rs.getString(1);
        }
        return Jwt.issuer("bulk-links").subject(userId).upn(userName).claim("key", keyId)
                .issuedAt(Instant.now().minus(age)).expiresAt(Instant.now().plus(left))
                .jws().sign(KeyUtils.decodePrivateKey(privateKey));
    }

    private static long expiry(String jwt) throws Exception {
        JsonNode claims = JSON.readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
        return claims.path("exp").asLong();
    }

    @Test
    void aTokenPastHalfItsLifetimeComesBackRenewedAndTheRenewedTokenWorks() throws Exception {
        String old = token(Duration.ofMinutes(50), Duration.ofMinutes(10));
        Response answer = json().header("Authorization", "Bearer " + old).get("/api/p/{p}/links", project);
        answer.then().statusCode(200).header("WWW-Authenticate", nullValue());
        String renewed = answer.header("Authorization");
        assertThat(renewed).as("a renewed token, bare").isNotNull().doesNotStartWith("Bearer").isNotEqualTo(old);
        assertThat(expiry(renewed)).isGreaterThan(expiry(old));

        // The renewed token works, and being young it is not renewed again.
        json().header("Authorization", "Bearer " + renewed).get("/api/p/{p}/links", project).then().statusCode(200)
                .header("Authorization", nullValue());
    }

    @Test
    void aYoungTokenIsNotRenewed() throws Exception {
        String fresh = SignedIn.token(apiKey);
        json().header("Authorization", "Bearer " + fresh).get("/api/p/{p}/links", project).then().statusCode(200)
                .header("Authorization", nullValue());
        String justUnderHalf = token(Duration.ofMinutes(25), Duration.ofMinutes(35));
        json().header("Authorization", "Bearer " + justUnderHalf).get("/api/p/{p}/links", project).then()
                .statusCode(200).header("Authorization", nullValue());
    }

    @Test
    void errorsAndStreamsPastTheGateCarryTheRenewedTokenToo() throws Exception {
        String old = token(Duration.ofMinutes(50), Duration.ofMinutes(10));
        String renewed = json().header("Authorization", "Bearer " + old).get("/api/p/{p}/jobs/{t}", project, UUID.randomUUID())
                .then().statusCode(404).header("WWW-Authenticate", nullValue()).extract().header("Authorization");
        assertThat(renewed).isNotNull().doesNotStartWith("Bearer");
        json().header("Authorization", "Bearer " + old).body("{").post("/api/p/{p}/links", project).then()
                .statusCode(400).header("WWW-Authenticate", nullValue()).header("Authorization", startsWith("ey"));

        Api.registerType(project, Api.BREAKDOWN);
        String job = Api.submit(project, "/links/bulk", Map.of("links", List.of(Api.link(
                Api.entity(project, "folder", "a"), Api.entity(project, "folder", "b"), Api.BREAKDOWN))));
        try (SseClient events = SseClient.open(base + "api/p/" + project + "/jobs/" + job + "/events", null,
                "Bearer " + old)) {
            assertThat(events.status()).isEqualTo(200);
            assertThat(events.header("Authorization")).as("the stream's answer renews the token").startsWith("ey");
            assertThat(events.header("WWW-Authenticate")).isNull();
        }
    }

    @Test
    void refusalsAreNotRenewedAndOnly401ChallengesTheClient() throws Exception {
        String old = token(Duration.ofMinutes(50), Duration.ofMinutes(10));
        String other = Api.newProject();
        json().header("Authorization", "Bearer " + old).get("/api/p/{p}/links", other).then().statusCode(403)
                .header("WWW-Authenticate", nullValue()).header("Authorization", nullValue());
        String expired = token(Duration.ofMinutes(61), Duration.ofMinutes(-1));
        json().header("Authorization", "Bearer " + expired).get("/api/p/{p}/links", project).then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer")).header("Authorization", nullValue());
        json().delete("/api/admin/keys/{k}", keyId).then().statusCode(200);
        json().header("Authorization", "Bearer " + old).get("/api/p/{p}/links", project).then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer")).header("Authorization", nullValue());
    }

    @Test
    void renewalForATokenAsASocketAsksIt() throws Exception {
        String old = token(Duration.ofMinutes(50), Duration.ofMinutes(10));
        String renewed = tokens.renewalFor(old).orElseThrow();
        assertThat(tokens.verify(renewed)).isEqualTo(UUID.fromString(keyId));
        assertThat(tokens.renewalFor(renewed)).isEmpty();
        json().delete("/api/admin/keys/{k}", keyId).then().statusCode(200);
        assertThatThrownBy(() -> tokens.renewalFor(old)).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).error().code()).isEqualTo(401));
        assertThatThrownBy(() -> tokens.renewalFor("not.a.jwt")).isInstanceOf(ApiException.class);
    }
}
