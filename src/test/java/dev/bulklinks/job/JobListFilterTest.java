package dev.bulklinks.job;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.bulklinks.fixtures.Api;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The jobs list as an operator narrows it: by kind, by who submitted, by status, together. */
@QuarkusTest
class JobListFilterTest {

    @Test
    void jobsAreFoundByKindSubmitterAndStatus() {
        Api.FolderPair p = Api.folderPair();
        String links = Api.submit(p.project(), "/links/bulk", Map.of("links", List.of(Api.link(p.a(), p.b(), BREAKDOWN))));
        String entities = Api.submit(p.project(), "/entities/bulk", Map.of("entities", List.of(Map.of("type", "folder", "name", "c"))));
        Api.Member member = Api.member("pipeline", p.project(), Map.of());
        String theirs = json().header("Authorization", member.bearer()).body(Map.of("links", List.of(Api.link(p.b(), p.a(), BREAKDOWN))))
                .post("/api/p/" + p.project() + "/links/bulk").then().statusCode(202).extract().path("result.'job.token'");
        for (String token : List.of(links, entities, theirs)) {
            Api.awaitFinal(p.project(), token);
        }

        assertThat(tokens(p.project(), "?kind=bulk_upsert_links")).containsExactly(theirs, links);
        assertThat(tokens(p.project(), "?kind=bulk_upsert_entities")).containsExactly(entities);
        assertThat(tokens(p.project(), "?submitted_by=" + member.name())).containsExactly(theirs);
        assertThat(tokens(p.project(), "?submitted_by=admin&kind=bulk_upsert_links")).containsExactly(links);
        assertThat(tokens(p.project(), "?kind=bulk_upsert_links&status=done&limit=1")).containsExactly(theirs);
        assertThat(tokens(p.project(), "?kind=bulk_delete_links")).isEmpty();
        assertThat(tokens(p.project(), "?submitted_by=nobody")).isEmpty();
        json().get("/api/p/{p}/jobs?kind=links", p.project()).then().statusCode(400)
                .body("result.message", containsString("kind must be one of bulk_link_records, bulk_upsert_links"));
    }

    private static List<String> tokens(String project, String query) {
        return json().get("/api/p/" + project + "/jobs" + query).then().statusCode(200)
                .extract().path("result.jobs.'job.token'");
    }
}
