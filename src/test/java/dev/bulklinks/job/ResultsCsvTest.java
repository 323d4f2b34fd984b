package dev.bulklinks.job;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.bulklinks.fixtures.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** results.csv as a person uses it: open it, fix the failed rows, send them again. */
@QuarkusTest
class ResultsCsvTest {

    private static final CsvMapper CSV = new CsvMapper();

    /** The rows of a results.csv, by column name, and its header. */
    private static List<Map<String, String>> rows(Response answer) throws Exception {
        try (MappingIterator<Map<String, String>> it = CSV.readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(answer.asString())) {
            return it.readAll();
        }
    }

    private static Response csv(String project, String token, String query) {
        return given().get("/api/p/" + project + "/jobs/" + token + "/results.csv" + query);
    }

    @Test
    void linksComeWithTheirInputColumnsThenTheResultAndTheFailedRowsCanBeSentAgain() throws Exception {
        Api.FolderPair p = Api.folderPair();
        String token = Api.submit(p.project(), "/links/bulk", Map.of("links", List.of(
                Map.of("input", p.a(), "output", p.b(), "linkType", BREAKDOWN, "data", Map.of("note", "a, \"b\"")),
                Map.of("input", p.a(), "output", p.a(), "linkType", BREAKDOWN, "name", "self\nlink"),
                Map.of("input", p.b(), "output", p.a(), "linkType", BREAKDOWN, "position", 4))));
        Api.awaitFinal(p.project(), token);

        Response all = csv(p.project(), token, "");
        all.then().statusCode(200).contentType(containsString("text/csv")).header("X-Total-Count", "3")
                .header("Content-Disposition", containsString(token + "-results.csv"));
        assertThat(all.asString()).startsWith("input,output,linkType,data,position,name,success,id,operation,error_code,error_message\n");
        List<Map<String, String>> rows = rows(all);
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).containsEntry("input", p.a()).containsEntry("data", "{\"note\":\"a, \\\"b\\\"\"}")
                .containsEntry("success", "true").containsEntry("operation", "CREATE").containsEntry("error_code", "");
        assertThat(rows.get(0).get("id")).matches("[0-9a-f-]{36}");
        assertThat(rows.get(1)).containsEntry("name", "self\nlink").containsEntry("success", "false")
                .containsEntry("id", "").containsEntry("error_code", "400");
        assertThat(rows.get(1).get("error_message")).contains("to itself");
        assertThat(rows.get(2)).containsEntry("position", "4").containsEntry("success", "true");

        Response failed = csv(p.project(), token, "?outcome=failed");
        failed.then().statusCode(200).header("X-Total-Count", "1");
        assertThat(rows(failed)).hasSize(1).first().satisfies(r -> assertThat(r).containsEntry("name", "self\nlink"));

        // Fixed (the output was the input) and sent back as it is, result columns and all.
        String fixed = failed.asString().replace(p.a() + "," + p.a(), p.a() + "," + p.b());
        String again = given().contentType("text/csv").body(fixed).post("/api/p/" + p.project() + "/links/bulk")
                .then().statusCode(202).extract().path("result.'job.token'");
        assertThat(Api.awaitFinal(p.project(), again).getInt("info.succeeded"))
                .as(csv(p.project(), again, "").asString()).isEqualTo(1);
        assertThat(rows(csv(p.project(), again, ""))).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("name", "self\nlink").containsEntry("operation", "CREATE"));
    }

    @Test
    void entitiesAndDeletedLinksToo() throws Exception {
        Api.FolderPair p = Api.folderPair();
        String entities = Api.submit(p.project(), "/entities/bulk", Map.of("entities", List.of(
                Map.of("type", "folder", "name", "sh010", "source", "erp", "sourceId", "1"),
                Map.of("type", "folder", "name", "sh020", "parent", "not-an-id"))));
        Api.awaitFinal(p.project(), entities);
        Response answer = csv(p.project(), entities, "");
        assertThat(answer.asString()).startsWith("type,name,parent,source,sourceId,data,success,id,operation,error_code,error_message\n");
        assertThat(rows(answer)).extracting(r -> r.get("name") + " " + r.get("success") + " " + r.get("sourceId"))
                .containsExactly("sh010 true 1", "sh020 false ");

        String link = json().body(Api.link(p.a(), p.b(), BREAKDOWN)).post("/api/p/{p}/links", p.project()).then()
                .statusCode(201).extract().path("result.id");
        String missing = "00000000-0000-4000-8000-000000000000";
        String deletion = Api.submit(p.project(), "/links/bulk/delete", Map.of("ids", List.of(link, missing)));
        Api.awaitFinal(p.project(), deletion);
        Response deleted = csv(p.project(), deletion, "");
        assertThat(deleted.asString()).startsWith("success,id,operation,error_code,error_message\n");
        assertThat(rows(deleted)).extracting(r -> r.get("id") + " " + r.get("operation") + " " + r.get("error_code"))
                .containsExactly(link + " DELETE ", missing + "  404");
    }

    @Test
    void wrongQuestionsAre400() {
        Api.FolderPair p = Api.folderPair();
        String token = Api.submit(p.project(), "/links/bulk", Map.of("links", List.of(Api.link(p.a(), p.b(), BREAKDOWN))));
        csv(p.project(), token, "?outcome=maybe").then().statusCode(400)
                .body("result.message", containsString("outcome must be failed or succeeded"));
        String records = Api.submit(p.project(), "/records/bulk/link", Map.of("parent", p.a(), "linkType", BREAKDOWN,
                "selection", List.of(p.b())));
        Api.awaitFinal(p.project(), records);
        csv(p.project(), records, "").then().statusCode(400).body("result.message", containsString("record link job"));
    }
}
