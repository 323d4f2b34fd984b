package dev.bulklinks.intake;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulklinks.fixtures.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Bulk bodies sent compressed: gzip gives the same job as the plain body; other encodings are refused. */
@QuarkusTest
class ContentEncodingTest {

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(plain);
        }
        return bytes.toByteArray();
    }

    /** 300 lines over three chunks: links a -> b, and every tenth a self-link, which fails. */
    private static String lines(Api.FolderPair pair) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            String output = i % 10 == 3 ? pair.a() : pair.b();
            body.append("{\"input\":\"").append(pair.a()).append("\",\"output\":\"").append(output)
                    .append("\",\"linkType\":\"").append(BREAKDOWN).append("\",\"data\":{\"i\":").append(i)
                    .append(",\"note\":\"ünïcödé ✓\"}}\n");
        }
        return body.toString();
    }

    private static Response post(String project, String encoding, byte[] body) {
        return given().header("Content-Encoding", encoding).contentType("application/x-ndjson").accept("application/json")
                .body(body).post("/api/p/{p}/links/bulk", project);
    }

    /** What a user sees of a finished job: its counters and each item's result, without the link ids. */
    private static List<String> seen(String project, String token) {
        JsonPath job = Api.awaitFinal(project, token);
        String results = given().accept("application/x-ndjson").get("/api/p/{p}/jobs/{t}/results.ndjson", project, token)
                .then().statusCode(200).extract().asString().replaceAll("\"id\":\"[0-9a-f-]{36}\"", "\"id\":\"?\"");
        return List.of(job.getString("status"), job.getMap("info").toString(), results);
    }

    private static int jobCount(String project) {
        return json().get("/api/p/{p}/jobs", project).then().statusCode(200).extract().<List<Object>>path("result.jobs").size();
    }

    @Test
    void aGzipBodyGivesTheSameJobAsThePlainOne() throws IOException {
        Api.FolderPair pair = Api.folderPair();
        byte[] plain = lines(pair).getBytes(StandardCharsets.UTF_8);
        byte[] compressed = gzip(plain);
        assertThat(compressed.length).isLessThan(plain.length / 5);

        String plainJob = Api.ndjson().body(plain).post("/api/p/{p}/links/bulk", pair.project()).then().statusCode(202)
                .extract().path("result.'job.token'");
        String gzipJob = post(pair.project(), "gzip", compressed).then().statusCode(202).extract().path("result.'job.token'");

        List<String> fromPlain = seen(pair.project(), plainJob);
        assertThat(fromPlain.get(1)).isEqualTo("{total=300, remaining=0, succeeded=270, failed=30}");
        assertThat(seen(pair.project(), gzipJob)).isEqualTo(fromPlain);
        // A JSON body may come compressed too.
        String jsonJob = given().header("Content-Encoding", "gzip").contentType("application/json")
                .body(gzip(("{\"links\": [" + String.join(",", lines(pair).strip().split("\n")) + "]}")
                        .getBytes(StandardCharsets.UTF_8)))
                .post("/api/p/{p}/links/bulk", pair.project()).then().statusCode(202).extract().path("result.'job.token'");
        assertThat(seen(pair.project(), jsonJob)).isEqualTo(fromPlain);
    }

    @Test
    void otherEncodingsAre415AndBrokenGzipIs400() throws IOException {
        Api.FolderPair pair = Api.folderPair();
        byte[] plain = lines(pair).getBytes(StandardCharsets.UTF_8);

        for (String encoding : List.of("br", "deflate", "gzip, br")) {
            Response refused = post(pair.project(), encoding, plain);
            refused.then().statusCode(415);
            assertThat(refused.jsonPath().getInt("result.code")).isEqualTo(415);
            assertThat(refused.jsonPath().getString("result.message")).contains("'" + encoding + "'", "gzip");
        }
        Response notGzip = post(pair.project(), "gzip", plain);
        notGzip.then().statusCode(400);
        assertThat(notGzip.jsonPath().getString("result.message")).contains("not valid gzip");
        byte[] compressed = gzip(plain);
        Response cut = post(pair.project(), "gzip", Arrays.copyOf(compressed, compressed.length / 2));
        cut.then().statusCode(400);
        assertThat(cut.jsonPath().getString("result.message")).contains("not valid gzip");
        assertThat(jobCount(pair.project())).isZero();
    }

    @Test
    void theBodyLimitCountsDecodedBytes() throws IOException {
        Api.FolderPair pair = Api.folderPair();
        // 21 MB of blanks (which NDJSON allows) unpack past the test's 20M body limit from about 20 KB.
        byte[] blanks = new byte[21 << 20];
        Arrays.fill(blanks, (byte) ' ');
        byte[] bomb = gzip(blanks);
        assertThat(bomb.length).isLessThan(100_000);

        Response refused = post(pair.project(), "gzip", bomb);
        refused.then().statusCode(413);
        assertThat(refused.jsonPath().getString("result.message")).contains("larger than 20971520 bytes");
        assertThat(jobCount(pair.project())).isZero();
    }

    @Test
    void anEmptyIdempotencyKeyIs400() {
        Api.FolderPair pair = Api.folderPair();
        Response refused = Api.ndjson().header("Idempotency-Key", "").body(lines(pair))
                .post("/api/p/{p}/links/bulk", pair.project());
        refused.then().statusCode(400);
        assertThat(refused.jsonPath().getString("result.message")).contains("Idempotency-Key");
        assertThat(jobCount(pair.project())).isZero();
    }
}
