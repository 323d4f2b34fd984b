package dev.bulklinks.auth;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.SignedIn;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who may do the destructive operations, for each kind of caller: an admin; a manager (membership
 * role {@code manager}, no allow-list); a member whose allow-list holds only {@link Api#BREAKDOWN};
 * a member without an allow-list. Registering and deleting link types is for admins and managers;
 * deleting a link, alone or in a bulk job, needs its type on the caller's allow-list, as creating it
 * does. Every refusal is a 403 in the envelope (a per-item 403 in a job) and changes nothing.
 */
@QuarkusTest
class AuthorizationMatrixTest {

    private static final String OTHER = "reference|folder|folder";

    /** The callers of the matrix. */
    private enum Who { ADMIN, MANAGER, LISTED_MEMBER, OPEN_MEMBER }

    private String project;
    private String a;
    private String b;
    private final Map<Who, String> bearers = new HashMap<>();

    @BeforeEach
    void setUp() {
        Api.FolderPair pair = Api.folderPair();
        project = pair.project();
        a = pair.a();
        b = pair.b();
        Api.registerType(project, OTHER);
        bearers.put(Who.ADMIN, SignedIn.bearer());
        bearers.put(Who.MANAGER, member(Map.of("role", "manager")));
        bearers.put(Who.LISTED_MEMBER, member(Map.of("linkTypes", List.of(BREAKDOWN))));
        bearers.put(Who.OPEN_MEMBER, member(Map.of()));
    }

    /** A new user, member of the project with {@code membership}; answers its Authorization header. */
    private String member(Map<String, Object> membership) {
        return Api.member("u", project, membership).bearer();
    }

    private String link(String type) {
        return json().body(Api.link(a, b, type)).post("/api/p/{p}/links", project).then().statusCode(201)
                .extract().path("result.id");
    }

    private List<String> types() {
        return json().get("/api/p/{p}/links/types", project).then().statusCode(200).extract().path("result.types.name");
    }

    private static void forbidden(ValidatableResponse response, String message) {
        response.statusCode(403).body("success", equalTo(false)).body("result.code", equalTo(403))
                .body("result.message", startsWith(message)).body("data", equalTo(Map.of()));
    }

    @Test
    void typeRegistrationIsForAdminsAndManagers() {
        Map<Who, Integer> expected = Map.of(Who.ADMIN, 201, Who.MANAGER, 201, Who.LISTED_MEMBER, 403, Who.OPEN_MEMBER, 403);
        for (Who who : Who.values()) {
            String type = "made_by_" + who.name().toLowerCase() + "|folder|folder";
            ValidatableResponse response = json().header("Authorization", bearers.get(who)).body(Map.of("data", Map.of()))
                    .put("/api/p/{p}/links/types/{t}", project, type).then();
            if (expected.get(who) == 403) {
                forbidden(response, "Only an admin or a manager of project '" + project + "' may register and delete"
                        + " link types");
                assertThat(types()).as("types after %s was refused", who).doesNotContain(type);
            } else {
                response.statusCode(201).body("result.name", equalTo(type));
                assertThat(types()).contains(type);
            }
        }
    }

    @Test
    void typeDeletionIsForAdminsAndManagers() {
        Map<Who, Integer> expected = Map.of(Who.ADMIN, 200, Who.MANAGER, 200, Who.LISTED_MEMBER, 403, Who.OPEN_MEMBER, 403);
        for (Who who : Who.values()) {
            json().body(Map.of()).put("/api/p/{p}/links/types/{t}", project, OTHER).then().statusCode(
                    org.hamcrest.Matchers.oneOf(200, 201));
            String admins = link(OTHER);
            ValidatableResponse response = json().header("Authorization", bearers.get(who))
                    .delete("/api/p/{p}/links/types/{t}", project, OTHER).then();
            if (expected.get(who) == 403) {
                forbidden(response, "Only an admin or a manager of project '" + project + "' may register and delete"
                        + " link types");
                // Nothing went: the type, and the admin's link of it.
                assertThat(types()).as("types after %s was refused", who).contains(OTHER);
                json().get("/api/p/{p}/links/{id}", project, admins).then().statusCode(200);
                json().delete("/api/p/{p}/links/types/{t}", project, OTHER).then().statusCode(200);
            } else {
                response.statusCode(200).body("result.links_deleted", equalTo(1));
                assertThat(types()).doesNotContain(OTHER);
                json().get("/api/p/{p}/links/{id}", project, admins).then().statusCode(404);
            }
        }
    }

    @Test
    void aManagerWithAnAllowListManagesOnlyTheTypesOnIt() {
        String bearer = member(Map.of("role", "manager", "linkTypes", List.of(BREAKDOWN)));
        String kept = link(OTHER);
        forbidden(json().header("Authorization", bearer).delete("/api/p/{p}/links/types/{t}", project, OTHER).then(),
                "Your allow-list in project '" + project + "' does not hold link type " + OTHER);
        forbidden(json().header("Authorization", bearer).body(Map.of()).put("/api/p/{p}/links/types/{t}", project,
                "new|folder|folder").then(), "Your allow-list in project '" + project + "' does not hold link type");
        assertThat(types()).containsExactly(BREAKDOWN, OTHER);
        json().get("/api/p/{p}/links/{id}", project, kept).then().statusCode(200);

        json().header("Authorization", bearer).body(Map.of()).put("/api/p/{p}/links/types/{t}", project, BREAKDOWN)
                .then().statusCode(200);
        json().header("Authorization", bearer).delete("/api/p/{p}/links/types/{t}", project, BREAKDOWN).then()
                .statusCode(200);
        assertThat(types()).containsExactly(OTHER);
    }

    @Test
    void deletingOneLinkNeedsItsTypeOnTheAllowList() {
        for (Who who : Who.values()) {
            String allowed = link(BREAKDOWN);
            String other = link(OTHER);
            json().header("Authorization", bearers.get(who)).delete("/api/p/{p}/links/{id}", project, allowed).then()
                    .statusCode(200).body("result.deleted", equalTo(allowed));
            json().get("/api/p/{p}/links/{id}", project, allowed).then().statusCode(404);
            ValidatableResponse response = json().header("Authorization", bearers.get(who))
                    .delete("/api/p/{p}/links/{id}", project, other).then();
            if (who == Who.LISTED_MEMBER) {
                forbidden(response, "You may not delete links of type " + OTHER + ".");
                response.body("result.info.details", equalTo(List.of("linkType: " + OTHER)));
                json().get("/api/p/{p}/links/{id}", project, other).then().statusCode(200);
            } else {
                response.statusCode(200);
                json().get("/api/p/{p}/links/{id}", project, other).then().statusCode(404);
            }
        }
        // An id that names no link is 404 for every caller, whatever the allow-list.
        String unknown = UUID.randomUUID().toString();
        json().header("Authorization", bearers.get(Who.LISTED_MEMBER)).delete("/api/p/{p}/links/{id}", project, unknown)
                .then().statusCode(404).body("result.message", equalTo("Link " + unknown + " not found."));
    }

    @Test
    void deletingLinksInBulkNeedsEachTypeOnTheAllowListOfTheSubmitter() {
        for (Who who : Who.values()) {
            String allowed = link(BREAKDOWN);
            String other = link(OTHER);
            String token = json().header("Authorization", bearers.get(who)).body(Map.of("ids", List.of(allowed, other)))
                    .post("/api/p/{p}/links/bulk/delete", project).then().statusCode(202)
                    .extract().path("result.'job.token'");
            JsonPath job = Api.awaitFinal(project, token);
            assertThat(job.getString("status")).isEqualTo("done");
            JsonPath results = json().get("/api/p/{p}/jobs/{t}/results", project, token).then().statusCode(200)
                    .extract().jsonPath().setRootPath("result");
            assertThat(results.getBoolean("items[0].success")).as("%s deletes a %s link", who, BREAKDOWN).isTrue();
            json().get("/api/p/{p}/links/{id}", project, allowed).then().statusCode(404);
            if (who == Who.LISTED_MEMBER) {
                assertThat(job.getInt("info.succeeded")).isEqualTo(1);
                assertThat(job.getInt("info.failed")).isEqualTo(1);
                assertThat(results.getBoolean("items[1].success")).isFalse();
                assertThat(results.getInt("items[1].error.code")).isEqualTo(403);
                assertThat(results.getString("items[1].error.message"))
                        .isEqualTo("You may not delete links of type " + OTHER + ".");
                json().get("/api/p/{p}/links/{id}", project, other).then().statusCode(200);
            } else {
                assertThat(job.getInt("info.succeeded")).as("%s deletes both", who).isEqualTo(2);
                json().get("/api/p/{p}/links/{id}", project, other).then().statusCode(404);
            }
        }
    }

    @Test
    void anAtomicBulkDeleteWithALinkOfAForbiddenTypeDeletesNothing() {
        String allowed = link(BREAKDOWN);
        String other = link(OTHER);
        String token = json().header("Authorization", bearers.get(Who.LISTED_MEMBER))
                .body(Map.of("ids", List.of(allowed, other), "atomic", true))
                .post("/api/p/{p}/links/bulk/delete", project).then().statusCode(202).extract().path("result.'job.token'");
        assertThat(Api.awaitFinal(project, token).getString("status")).isEqualTo("rejected");
        json().get("/api/p/{p}/links/{id}", project, allowed).then().statusCode(200);
        json().get("/api/p/{p}/links/{id}", project, other).then().statusCode(200);
    }

    @Test
    void aRoleOtherThanMemberOrManagerIs400() {
        String user = json().body(Map.of("name", "r-" + UUID.randomUUID().toString().substring(0, 8)))
                .post("/api/admin/users").then().statusCode(201).extract().path("result.id");
        json().body(Map.of("role", "owner")).put("/api/admin/users/{u}/projects/{p}", user, project).then()
                .statusCode(400).body("result.message", startsWith("role must be one of member, manager"));
        json().body(Map.of("role", "manager", "linkTypes", List.of(BREAKDOWN)))
                .put("/api/admin/users/{u}/projects/{p}", user, project).then().statusCode(200)
                .body("result.role", equalTo("manager")).body("result.linkTypes", equalTo(List.of(BREAKDOWN)));
        // A PUT replaces the membership: without a role it is a plain member again.
        json().body(Map.of()).put("/api/admin/users/{u}/projects/{p}", user, project).then().statusCode(200)
                .body("result.role", equalTo("member"));
    }
}
