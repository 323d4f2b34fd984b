package dev.bulklinks.entity;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.SignedIn;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The link checks read entity types through a cache ({@link EntityTypes}): a type changed, or a project
 * made again with other types under the same ids, is what the next link job checks against, never
 * what an earlier one read.
 */
@QuarkusTest
class EntityTypesTest {

    @Inject
    EntityTypes types;

    @Test
    void aChangedTypeIsWhatTheNextLinkJobChecks() {
        Api.FolderPair pair = Api.folderPair();
        String project = pair.project();
        assertThat(linkJob(project, pair.a(), pair.b()).status().getInt("info.succeeded")).isEqualTo(1);

        // a becomes an asset: the same link is now refused, its input being of the wrong type.
        changeType(project, pair.a(), "asset");
        LinkJob refused = linkJob(project, pair.a(), pair.b());
        assertThat(refused.status().getInt("info.failed")).isEqualTo(1);
        assertThat(refused.error()).contains(pair.a()).contains("'asset'");

        // And back: accepted again.
        changeType(project, pair.a(), "folder");
        assertThat(linkJob(project, pair.a(), pair.b()).status().getInt("info.succeeded")).isEqualTo(1);
    }

    @Test
    void aProjectMadeAgainUnderItsNameHasItsOwnTypes() throws Exception {
        String project = Api.newProject();
        Api.registerType(project, BREAKDOWN);
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        createEntities(project, Map.of(a, "folder", b, "folder"));
        assertThat(linkJob(project, a, b).status().getInt("info.succeeded")).isEqualTo(1);

        given().header(SignedIn.ANONYMOUS, "1").header("Authorization", "Bearer " + SignedIn.ADMIN_KEY)
                .delete("/ayon/api/projects/{p}", project).then().statusCode(204);
        json().body(Map.of("name", project)).post("/api/projects").then().statusCode(201);
        Api.registerType(project, BREAKDOWN);
        createEntities(project, Map.of(a, "asset", b, "folder"));

        LinkJob refused = linkJob(project, a, b);
        assertThat(refused.status().getInt("info.failed")).isEqualTo(1);
        assertThat(refused.error()).contains(a).contains("'asset'");
    }

    @Test
    void answersOnlyEntitiesThatExistAndAnEntityMadeLaterOnceItIs() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        UUID a = UUID.fromString(pair.a());
        UUID later = UUID.randomUUID();
        assertThat(types.of(pair.project(), Set.of(a, later))).isEqualTo(Map.of(a, "folder"));

        createEntities(pair.project(), Map.of(later.toString(), "task"));
        assertThat(types.of(pair.project(), Set.of(a, later))).isEqualTo(Map.of(a, "folder", later, "task"));
        assertThat(types.of("no-such-project-" + UUID.randomUUID(), Set.of(a))).isEmpty();
    }

    /** A finished job of one link, and the message of its item's error, if any. */
    private record LinkJob(JsonPath status, String error) {
    }

    private static LinkJob linkJob(String project, String input, String output) {
        String token = Api.submit(project, "/links/bulk", Map.of("links", List.of(Api.link(input, output, BREAKDOWN))));
        JsonPath status = Api.awaitFinal(project, token);
        String error = json().get("/api/p/{p}/jobs/{t}/results", project, token).then().statusCode(200).extract()
                .path("result.items[0].error.message");
        return new LinkJob(status, error);
    }

    private static void changeType(String project, String id, String type) {
        String token = Api.submit(project, "/entities/bulk",
                Map.of("entities", List.of(Map.of("id", id, "type", type, "name", "a"))));
        assertThat(Api.awaitFinal(project, token).getInt("info.succeeded")).isEqualTo(1);
    }

    private static void createEntities(String project, Map<String, String> typeById) {
        List<Map<String, Object>> items = typeById.entrySet().stream()
                .<Map<String, Object>>map(e -> Map.of("id", e.getKey(), "type", e.getValue(), "name", e.getValue()))
                .toList();
        String token = Api.submit(project, "/entities/bulk", Map.of("entities", items));
        assertThat(Api.awaitFinal(project, token).getInt("info.succeeded")).isEqualTo(typeById.size());
    }

}
