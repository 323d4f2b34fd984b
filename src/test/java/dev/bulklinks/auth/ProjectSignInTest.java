package dev.bulklinks.auth;

import static dev.bulklinks.fixtures.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.SignedIn;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Unicat's sign-in, {@code POST /api/p/{project}/auth}: the bare token in the Authorization header,
 * the user, the project and the sync cursors in the result; 400 without a key, 403 for a key that is
 * unknown or revoked and for a user who is not a member (as Unicat answers), all in the envelope, and
 * never WWW-Authenticate, on which the client would drop its token.
 */
@QuarkusTest
class ProjectSignInTest {

    private String mine;
    private String theirs;
    private String memberKeyId;
    private String memberKey;
    private String memberName;

    @BeforeEach
    void setUp() {
        mine = Api.newProject();
        theirs = Api.newProject();
        Api.Member member = Api.member("unicat", mine, Map.of());
        memberName = member.name();
        memberKeyId = member.keyId();
        memberKey = member.apiKey();
    }

    private static Response signIn(String project, Object body) {
        return json().header(SignedIn.ANONYMOUS, "1").body(body).post("/api/p/{p}/auth", project);
    }

    @Test
    void aMemberSignsInToItsProjectAsUnicatDoes() {
        long before = json().body(Map.of()).post("/sync/cursors").then().statusCode(200).extract().jsonPath()
                .getLong("result.'cc.cursor'");
        Response answer = signIn(mine, Map.of("api_key", memberKey));
        answer.then().statusCode(200).header("WWW-Authenticate", nullValue())
                .body("success", equalTo(true)).body("data", equalTo(Map.of()))
                .body("result.user", equalTo(memberName)).body("result.project", equalTo(mine))
                .body("result.admin", equalTo(false)).body("result.expires", notNullValue())
                .body("result.'cc.cursor'", instanceOf(Number.class)).body("result.cursor", instanceOf(Number.class));
        JsonPath result = answer.jsonPath();
        assertThat(result.getLong("result.'cc.cursor'")).isGreaterThanOrEqualTo(before);
        assertThat(result.getLong("result.cursor")).isGreaterThanOrEqualTo(before);

        // The client sends "Bearer " + the header, verbatim: that must be a token the service takes.
        String header = answer.header("Authorization");
        assertThat(header).doesNotStartWith("Bearer").matches("ey[\\w-]+\\.[\\w-]+\\.[\\w-]+");
        json().header("Authorization", "Bearer " + header).get("/api/p/{p}/links", mine).then().statusCode(200);
        json().header("Authorization", "Bearer " + header).get("/api/p/{p}/links", theirs).then().statusCode(403);
    }

    @Test
    void anAdminSignsInToAnyProjectAndAnUnknownOneIs404() {
        signIn(theirs, Map.of("api_key", SignedIn.ADMIN_KEY)).then().statusCode(200)
                .body("result.project", equalTo(theirs)).body("result.admin", equalTo(true));
        signIn("nosuchproject" + memberName.substring(7).replace("-", ""), Map.of("api_key", SignedIn.ADMIN_KEY))
                .then().statusCode(404).body("result.code", equalTo(404)).header("Authorization", nullValue());
    }

    @Test
    void withoutAKeyIs400() {
        for (Object body : List.of(Map.of(), Map.of("api_key", ""))) {
            signIn(mine, body).then().statusCode(400).header("WWW-Authenticate", nullValue())
                    .header("Authorization", nullValue()).body("success", equalTo(false))
                    .body("result.code", equalTo(400)).body("result.message", equalTo("Send {\"api_key\": \"...\"}."))
                    .body("result.info", equalTo(Map.of())).body("data", equalTo(Map.of()));
        }
    }

    @Test
    void anUnknownOrRevokedKeyIs403AsUnicatAnswers() {
        signIn(mine, Map.of("api_key", "blk_not-a-key")).then().statusCode(403)
                .header("WWW-Authenticate", nullValue()).header("Authorization", nullValue())
                .body("result.code", equalTo(403)).body("result.message", startsWith("Unknown or revoked API key"))
                .body("data", equalTo(Map.of()));
        signIn(mine, Map.of("api_key", memberKey)).then().statusCode(200);
        json().delete("/api/admin/keys/{k}", memberKeyId).then().statusCode(200);
        signIn(mine, Map.of("api_key", memberKey)).then().statusCode(403).header("WWW-Authenticate", nullValue());
    }

    @Test
    void aUserWhoIsNotAMemberIs403WhetherOrNotTheProjectExists() {
        signIn(theirs, Map.of("api_key", memberKey)).then().statusCode(403).header("WWW-Authenticate", nullValue())
                .header("Authorization", nullValue()).body("result.code", equalTo(403))
                .body("result.message", startsWith("User '" + memberName + "' is not a member of project '" + theirs + "'"))
                .body("data", equalTo(Map.of()));
        signIn("nosuchproject", Map.of("api_key", memberKey)).then().statusCode(403);
    }
}
