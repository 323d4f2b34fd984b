package dev.bulklinks.api;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.SignedIn;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Requests as curl and hand-written clients send them, on a raw socket, since an HTTP client library
 * would encode or refuse them: a raw {@code |} in a path or query works, and what the HTTP layer
 * refuses (a URI it cannot read, one too long, headers too large) is refused in the envelope.
 */
@QuarkusTest
class HttpLayerRefusalsTest {

    @TestHTTPResource
    URL base;

    /** An answer read off the socket. */
    record Raw(int status, Map<String, String> headers, String body) {
        JsonPath json() {
            return JsonPath.from(body);
        }
    }

    /** Sends {@code requestLine}, the headers and the body as written, then reads the whole answer. */
    private Raw exchange(String requestLine, Map<String, String> headers, String body) throws IOException {
        StringBuilder head = new StringBuilder(requestLine).append(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        if (content.length > 0) {
            head.append("Content-Length: ").append(content.length).append("\r\n");
        }
        head.append("\r\n");
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(answer);
            return parse(answer.toString(StandardCharsets.UTF_8));
        }
    }

    private Raw signedIn(String requestLine) throws IOException {
        return exchange(requestLine, Map.of("Authorization", SignedIn.bearer()), "");
    }

    private static Raw parse(String text) {
        int end = text.indexOf("\r\n\r\n");
        assertThat(end).as("a whole head in %s", text).isPositive();
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        String body = text.substring(end + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            StringBuilder joined = new StringBuilder();
            int at = 0;
            for (int size; (size = Integer.parseInt(body.substring(at, body.indexOf("\r\n", at)).trim(), 16)) > 0; ) {
                int start = body.indexOf("\r\n", at) + 2;
                joined.append(body, start, start + size);
                at = start + size + 2;
            }
            body = joined.toString();
        }
        return new Raw(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
    }

    private static void assertRefused(Raw answer, int status, String... phrases) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.headers().get("content-type")).startsWith("application/json");
        JsonPath json = answer.json();
        assertThat(json.getBoolean("success")).isFalse();
        assertThat(json.getInt("result.code")).isEqualTo(status);
        assertThat(json.getString("result.message")).contains(phrases);
        assertThat(json.getMap("data")).isEmpty();
    }

    @Test
    void aRawPipeInAPathWorksAsIfEncoded() throws IOException {
        String project = Api.newProject();

        Raw registered = exchange("PUT /api/p/" + project + "/links/types/ref|folder|folder",
                Map.of("Authorization", SignedIn.bearer(), "Content-Type", "application/json"), "{}");

        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        assertThat(registered.json().getString("result.name")).isEqualTo("ref|folder|folder");
        assertThat(json().get("/api/p/{p}/links/types", project).then().statusCode(200).extract()
                .<List<String>>path("result.types.name")).containsExactly("ref|folder|folder");
    }

    @Test
    void aRawPipeInAQueryWorksAsIfEncoded() throws IOException {
        Api.FolderPair pair = Api.folderPair();
        Api.registerType(pair.project(), "ref|folder|folder");
        String link = json().body(Api.link(pair.a(), pair.b(), BREAKDOWN)).post("/api/p/{p}/links", pair.project())
                .then().statusCode(201).extract().path("result.id");

        Raw breakdown = signedIn("GET /api/p/" + pair.project() + "/links?type=breakdown|folder|folder");
        Raw ref = signedIn("GET /api/p/" + pair.project() + "/links?type=ref|folder|folder");

        assertThat(breakdown.status()).as(breakdown.toString()).isEqualTo(200);
        assertThat(breakdown.json().getList("result.links.id")).containsExactly(link);
        assertThat(ref.status()).as(ref.toString()).isEqualTo(200);
        assertThat(ref.json().getList("result.links")).isEmpty();
    }

    @Test
    void aUriThatCannotBeReadIsRefusedInTheEnvelope() throws IOException {
        String project = Api.newProject();

        assertRefused(signedIn("GET /api/p/" + project + "/jobs?cursor=%zz"), 400,
                "The request URI cannot be read", "Malformed escape pair", "%25");
        assertRefused(signedIn("GET /api/p/" + project + "/jobs?cursor=a\u0001b"), 400,
                "The request URI cannot be read", "Illegal character");
    }

    @Test
    void anOverlongUriIsRefusedInTheEnvelope() throws IOException {
        String project = Api.newProject();

        assertRefused(signedIn("GET /api/p/" + project + "/jobs?cursor=" + "a".repeat(5000)), 414,
                "the most this service reads is 4096", "bulklinks.api.max-uri-length");
    }

    @Test
    void oversizedHeadersAreRefusedInTheEnvelope() throws IOException {
        String project = Api.newProject();

        Raw answer = exchange("GET /api/p/" + project + "/jobs",
                Map.of("Authorization", SignedIn.bearer(), "X-Trace", "t".repeat(30_000)), "");

        assertRefused(answer, 431, "the most this service reads is 20480", "bulklinks.api.max-header-size");
    }
}
