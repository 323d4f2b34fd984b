package dev.bulklinks.intake;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.SignedIn;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The two body formats and bodies that stop short: whatever arrives, a job is stored whole or not at all. */
@QuarkusTest
class StreamingIntakeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource
    URL base;

    /** 250 items over three chunks: valid links, an unknown end, an unregistered type, a self-link. */
    private static List<Map<String, Object>> items(List<String> folders) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            String input = folders.get(i % 10);
            String output = switch (i % 25) {
                case 7 -> UUID.nameUUIDFromBytes(("missing" + i).getBytes()).toString();
                case 11 -> input;
                default -> folders.get((i + 1) % 10);
            };
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("input", input);
            item.put("output", output);
            item.put("linkType", i % 25 == 13 ? "reference|folder|folder" : BREAKDOWN);
            item.put("position", 1000 - i);
            item.put("data", Map.of("i", i, "text", "line \"" + i + "\"\n✓"));
            items.add(item);
        }
        return items;
    }

    /** What a user can see of a finished job, with generated ids replaced by the indexes of the entities. */
    private record Seen(Map<String, Object> info, List<String> results, List<String> links) {
    }

    private Seen submitAndRead(boolean ndjson) throws Exception {
        String project = Api.newProject();
        Api.registerType(project, BREAKDOWN);
        List<String> folders = Api.entities(project, "folder", 10);
        List<Map<String, Object>> items = items(folders);
        String token;
        if (ndjson) {
            StringBuilder body = new StringBuilder();
            for (Map<String, Object> item : items) {
                body.append(JSON.writeValueAsString(item)).append('\n');
            }
            token = Api.ndjson().body(body.toString()).post("/api/p/{p}/links/bulk", project)
                    .then().statusCode(202).extract().path("result.'job.token'");
        } else {
            token = Api.submit(project, "/links/bulk", Map.of("links", items));
        }
        JsonPath job = Api.awaitFinal(project, token);
        Map<String, Object> info = job.getMap("info");
        info.put("status", job.getString("status"));

        String ndjsonResults = given().accept("application/x-ndjson")
                .get("/api/p/{p}/jobs/{t}/results.ndjson", project, token).then().statusCode(200).extract().asString()
                .replaceAll("\"id\":\"[0-9a-f-]{36}\"", "\"id\":\"?\"");
        for (int i = 0; i < folders.size(); i++) {
            ndjsonResults = ndjsonResults.replace(folders.get(i), "folder " + i);
        }
        List<String> results = ndjsonResults.lines().toList();
        List<String> links = new ArrayList<>();
        for (Map<String, Object> link : json().queryParam("limit", 1000).get("/api/p/{p}/links", project)
                .then().statusCode(200).extract().jsonPath().<Map<String, Object>>getList("result.links")) {
            links.add(folders.indexOf(link.get("input")) + "->" + folders.indexOf(link.get("output")) + " "
                    + link.get("linkType") + " at " + link.get("position") + " " + link.get("data"));
        }
        links.sort(null); // listed in the order chunks were written, which parallel workers vary
        return new Seen(info, results, links);
    }

    @Test
    void jsonAndNdjsonBodiesGiveTheSameJob() throws Exception {
        Seen fromJson = submitAndRead(false);
        Seen fromNdjson = submitAndRead(true);

        assertThat(fromJson.info()).containsEntry("status", "done").containsEntry("total", 250)
                .containsEntry("succeeded", 220).containsEntry("failed", 30);
        assertThat(fromJson.results()).hasSize(250);
        assertThat(fromJson.links()).hasSize(220).contains("0->1 " + BREAKDOWN + " at 1000 {i=0, text=line \"0\"\n✓}");
        assertThat(fromNdjson).isEqualTo(fromJson);
    }

    /** Sends a request with a chunked body that ends properly but too early; answers the status and body. */
    private String[] chunkedRequest(String project, String contentType, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/p/" + project + "/links/bulk HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "Authorization: " + SignedIn.bearer() + "\r\n"
                    + "Content-Type: " + contentType + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            in.transferTo(response);
            String text = response.toString(StandardCharsets.UTF_8);
            Matcher status = Pattern.compile("^HTTP/1.1 (\\d{3})").matcher(text);
            assertThat(status.find()).as("a status line in %s", text).isTrue();
            return new String[] {status.group(1), text.substring(text.indexOf("\r\n\r\n") + 4)};
        }
    }

    private static String linkLines(List<String> folders, int count) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < count; i++) {
            body.append("{\"input\":\"").append(folders.get(0)).append("\",\"output\":\"").append(folders.get(1))
                    .append("\",\"linkType\":\"").append(BREAKDOWN).append("\"}\n");
        }
        return body.toString();
    }

    private static void noLinkJob(String project) {
        assertThat(json().get("/api/p/{p}/jobs", project).then().statusCode(200).extract()
                .<List<String>>path("result.jobs.job")).doesNotContain("bulk_upsert_links");
    }

    @Test
    void bodyThatEndsMidwayAnswers400AndLeavesNoJob() throws Exception {
        String project = Api.newProject();
        Api.registerType(project, BREAKDOWN);
        List<String> folders = Api.entities(project, "folder", 2);
        String lines = linkLines(folders, 500);
        String array = "{\"links\":[" + String.join(",", lines.strip().split("\n")) + "]}";

        String[] json = chunkedRequest(project, "application/json", array.substring(0, array.length() / 2));
        assertThat(json[0]).isEqualTo("400");
        assertThat(JsonPath.from(json[1]).getString("result.message")).contains("links[");

        String[] ndjson = chunkedRequest(project, "application/x-ndjson", lines.substring(0, lines.length() / 2 + 7));
        assertThat(ndjson[0]).isEqualTo("400");
        assertThat(JsonPath.from(ndjson[1]).getString("result.message")).contains("line 251");
        noLinkJob(project);
    }

    private static double aborted() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher line = Pattern.compile("(?m)^bulklinks_submissions_total\\{[^}]*outcome=\"aborted\"[^}]*} (\\S+)$")
                .matcher(metrics);
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }

    @Test
    void connectionDroppedMidBodyLeavesNoJob() throws Exception {
        String project = Api.newProject();
        Api.registerType(project, BREAKDOWN);
        List<String> folders = Api.entities(project, "folder", 2);
        String lines = linkLines(folders, 2000);
        byte[] half = lines.substring(0, lines.length() / 2).getBytes(StandardCharsets.UTF_8);
        double abortedBefore = aborted();

        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = socket.getOutputStream();
            // With Expect: 100-continue the service answers "100 Continue" once it starts reading the body:
            // the half body is then dropped under a service that is reading it. (A client gone before that
            // is dropped by the HTTP layer before the service sees the request: nothing to count.)
            out.write(("POST /api/p/" + project + "/links/bulk HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: " + SignedIn.bearer() + "\r\nExpect: 100-continue\r\n"
                    + "Content-Type: application/x-ndjson\r\nContent-Length: " + lines.length() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.setSoTimeout(30_000);
            String interim = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertThat(interim).isEqualTo("HTTP/1.1 100 Continue");
            out.write(half);
            out.flush();
        }

        // The service counts the abandoned submission once it has rolled it back.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> aborted() == abortedBefore + 1);
        noLinkJob(project);
        assertThat(json().get("/api/p/{p}/links", project).then().statusCode(200).extract()
                .<List<Object>>path("result.links")).isEmpty();
    }
}
