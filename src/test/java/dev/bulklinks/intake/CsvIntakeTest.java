package dev.bulklinks.intake;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.bulklinks.fixtures.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Bulk bodies as CSV (text/csv), as a person exports them from a spreadsheet. */
@QuarkusTest
class CsvIntakeTest {

    private static RequestSpecification csv() {
        return given().config(RestAssuredConfig.config().encoderConfig(EncoderConfig.encoderConfig()
                        .defaultContentCharset(StandardCharsets.UTF_8).encodeContentTypeAs("text/csv", ContentType.TEXT)))
                .contentType("text/csv").accept(ContentType.JSON);
    }

    private static String submitCsv(String project, String path, String body) {
        return csv().body(body).post("/api/p/" + project + path).then().statusCode(202)
                .extract().path("result.'job.token'");
    }

    /** Each result without the ids the job made: success, operation, error code. */
    private static List<String> outcomes(String project, String token) {
        Api.awaitFinal(project, token);
        List<Map<String, Object>> items = json().get("/api/p/{p}/jobs/{t}/results", project, token).then().statusCode(200)
                .extract().path("result.items");
        return items.stream().map(i -> i.get("index") + " " + i.get("success") + " " + i.get("operation") + " "
                + (i.get("error") == null ? "" : ((Map<?, ?>) i.get("error")).get("code"))).toList();
    }

    @Test
    void theSameLinksAsJsonNdjsonAndCsvGiveTheSameJob() {
        Api.FolderPair p = Api.folderPair();
        String jsonJob = Api.submit(p.project(), "/links/bulk", Map.of("links", List.of(
                Map.of("input", p.a(), "output", p.b(), "linkType", BREAKDOWN, "data", Map.of("n", 1)),
                Map.of("input", p.a(), "output", p.a(), "linkType", BREAKDOWN),
                Map.of("input", p.b(), "output", p.a(), "linkType", BREAKDOWN, "position", 7))));
        String ndjsonJob = Api.ndjson().body(
                "{\"input\": \"" + p.a() + "\", \"output\": \"" + p.b() + "\", \"linkType\": \"" + BREAKDOWN + "\", \"data\": {\"n\": 1}}\n"
                + "{\"input\": \"" + p.a() + "\", \"output\": \"" + p.a() + "\", \"linkType\": \"" + BREAKDOWN + "\"}\n"
                + "{\"input\": \"" + p.b() + "\", \"output\": \"" + p.a() + "\", \"linkType\": \"" + BREAKDOWN + "\", \"position\": 7}\n")
                .post("/api/p/" + p.project() + "/links/bulk").then().statusCode(202).extract().path("result.'job.token'");
        String csvJob = submitCsv(p.project(), "/links/bulk", "input,output,linkType,data,position\r\n"
                + p.a() + "," + p.b() + "," + BREAKDOWN + ",\"{\"\"n\"\": 1}\",\r\n"
                + p.a() + "," + p.a() + "," + BREAKDOWN + ",,\r\n"
                + p.b() + "," + p.a() + "," + BREAKDOWN + ",,7\r\n");

        List<String> expected = outcomes(p.project(), jsonJob);
        assertThat(expected).containsExactly("0 true CREATE ", "1 false null 400", "2 true CREATE ");
        assertThat(outcomes(p.project(), ndjsonJob)).isEqualTo(expected);
        assertThat(outcomes(p.project(), csvJob)).isEqualTo(expected);
        String created = json().get("/api/p/{p}/jobs/{t}/results", p.project(), csvJob).then()
                .extract().path("result.items[0].id");
        json().get("/api/p/{p}/links/{id}", p.project(), created).then().statusCode(200)
                .body("result.data.n", equalTo(1));
    }

    @Test
    void quotedCommasAndNewlinesInCellsAreKept() {
        Api.FolderPair p = Api.folderPair();
        String job = submitCsv(p.project(), "/links/bulk", "input,output,linkType,name,data\n"
                + p.a() + "," + p.b() + "," + BREAKDOWN + ",\"shot, take 2\nalt\",\"{\"\"note\"\": \"\"a \\\"\"quoted\\\"\", b\"\"}\"\n");
        assertThat(outcomes(p.project(), job)).containsExactly("0 true CREATE ");
        String id = json().get("/api/p/{p}/jobs/{t}/results", p.project(), job).then().extract().path("result.items[0].id");
        json().get("/api/p/{p}/links/{id}", p.project(), id).then().statusCode(200)
                .body("result.name", equalTo("shot, take 2\nalt"))
                .body("result.data.note", equalTo("a \"quoted\", b"));
    }

    @Test
    void entitiesAndIdsToDeleteComeAsCsvToo() {
        Api.FolderPair p = Api.folderPair();
        String job = submitCsv(p.project(), "/entities/bulk", "type,name,source,sourceId\nfolder,\"sh010, main\",erp,19815\n");
        assertThat(outcomes(p.project(), job)).containsExactly("0 true CREATE ");
        String link = json().body(Api.link(p.a(), p.b(), BREAKDOWN)).post("/api/p/{p}/links", p.project()).then()
                .statusCode(201).extract().path("result.id");
        String delete = submitCsv(p.project(), "/links/bulk/delete", "id\n" + link + "\n");
        assertThat(outcomes(p.project(), delete)).containsExactly("0 true DELETE ");
    }

    @Test
    void aGzippedCsvBodyIsReadLikeAPlainOne() throws Exception {
        Api.FolderPair p = Api.folderPair();
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            gzip.write(("input,output,linkType\n" + p.a() + "," + p.b() + "," + BREAKDOWN + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String job = given().contentType("text/csv").header("Content-Encoding", "gzip").body(zipped.toByteArray())
                .post("/api/p/" + p.project() + "/links/bulk").then().statusCode(202).extract().path("result.'job.token'");
        assertThat(outcomes(p.project(), job)).containsExactly("0 true CREATE ");
    }

    @Test
    void aBrokenCsvIs400NamingLineAndColumnAndStoresNothing() {
        Api.FolderPair p = Api.folderPair();
        String ok = p.a() + "," + p.b() + "," + BREAKDOWN;
        refused(p.project(), "input,output,linkType\n" + ok + "\n" + ok + ",extra\n", "line 3");
        refused(p.project(), "input,output,linkType,data\n" + ok + ",{}\n" + ok + ",{oops}\n",
                "item 1 (line 3), column 'data': the cell must be JSON");
        refused(p.project(), "input,output,colour\n" + p.a() + "," + p.b() + ",red\n", "column 'colour', which is no field");
        refused(p.project(), "input,output\n" + p.a() + "," + p.b() + "\n", "column 'linkType' is required");
        refused(p.project(), "input,output,linkType,position\n" + ok + ",first\n", "'first' is not a whole number");
        // A file cut off inside a quoted cell, as an interrupted export leaves it.
        refused(p.project(), "input,output,linkType,name\n" + ok + ",ok\n" + ok + ",\"cut off he", "Malformed CSV at line 3");
        json().get("/api/p/{p}/jobs", p.project()).then().statusCode(200).body("result.jobs.size()", equalTo(0));
    }

    private static void refused(String project, String body, String message) {
        csv().body(body).post("/api/p/" + project + "/links/bulk").then().statusCode(400)
                .body("success", equalTo(false)).body("result.message", containsString(message));
    }
}
