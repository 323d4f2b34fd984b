package dev.bulklinks.progress.socketio;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.SendBufferSize;
import dev.bulklinks.fixtures.SignedIn;
import dev.bulklinks.progress.FeedListener;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Sockets whose clients stop reading hold at most a stream's byte budget
 * ({@code bulklinks.sync.max-pending-bytes}, 16K here), and are then disconnected: a websocket client
 * that reads nothing after connecting, a polling client that never polls again.
 */
@QuarkusTest
@TestProfile(SyncIoSlowClientTest.SmallBudget.class)
class SyncIoSlowClientTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long BUDGET = 16 * 1024;

    /**
     * A stream budget a few links events fill, and a socket send buffer of 8K (the kernel's own grows to
     * megabytes on loopback, which would take a whole test job before anything is held). Engine.IO's
     * pings are ten minutes apart, so that only the budget and the send timeout can end these sockets.
     */
    public static class SmallBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bulklinks.sync.max-pending-bytes", "16K", "bulklinks.sync.send-timeout", "5s",
                    "bulklinks.socketio.ping-interval", "10m", "bulklinks.socketio.ping-timeout", "10m",
                    SendBufferSize.PROPERTY, "8192");
        }
    }

    @TestHTTPResource("/")
    URL base;
    @Inject
    FeedListener listener;

    private static String token() {
        return SignedIn.bearer().substring("Bearer ".length());
    }

    /** Submits a job whose links events are far more than the budget (30 chunks of 100 ids); waits for it. */
    private void runALargeJobWatchingTheBudget(int streamsBefore) {
        Api.FolderPair pair = Api.folderPair();
        List<Map<String, Object>> links = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            links.add(Api.link(pair.a(), pair.b(), BREAKDOWN));
        }
        String job = Api.submit(pair.project(), "/links/bulk", Map.of("links", links));
        // The stream is cut off: only its budget and send timeout can end it here (pings are minutes apart).
        // What it held at most is sampled too, as a sanity check: a live stream fills and is cut within one
        // read of the feed, faster than any sampling sees.
        AtomicLong most = new AtomicLong();
        await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(() -> {
            most.accumulateAndGet(listener.pendingBytes(), Math::max);
            return listener.subscribers() == streamsBefore;
        });
        assertThat(Api.awaitFinal(pair.project(), job).getString("status")).isEqualTo("done");
        assertThat(most.get()).as("bytes held for the socket").isLessThanOrEqualTo(BUDGET);
    }

    @Test
    void aWebsocketClientThatNeverReadsIsCutOffWithinItsBudget() throws Exception {
        int before = listener.subscribers();
        try (Socket socket = new Socket()) {
            // A small window: what the client does not read stays on the server.
            socket.setReceiveBufferSize(4096);
            socket.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()));
            OutputStream out = socket.getOutputStream();
            byte[] key = new byte[16];
            out.write(("GET /sync/io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: " + base.getHost() + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 101");
            out.write(maskedTextFrame("40{\"JWT\":\"" + token() + "\"}"));
            out.flush();
            await().atMost(WAIT).until(() -> listener.subscribers() == before + 1);

            runALargeJobWatchingTheBudget(before);

            // The server closed the connection: reading what was left ends (EOF or a reset), it does not hang.
            socket.setSoTimeout((int) WAIT.toMillis());
            byte[] buffer = new byte[65536];
            try {
                while (in.read(buffer) >= 0) {
                    // drain
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server kept the connection of a client that did not read", e);
            } catch (SocketException e) {
                // reset: closed as well
            }
        }
    }

    @Test
    void aPollingClientThatNeverPollsAgainIsCutOffWithinItsBudget() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String path = base.toString().replaceAll("/$", "") + "/sync/io/?EIO=4&transport=polling";
        String open = http.send(HttpRequest.newBuilder(URI.create(path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher sid = Pattern.compile("\"sid\":\\s*\"([^\"]+)\"").matcher(open);
        assertThat(sid.find()).as(open).isTrue();
        String session = path + "&sid=" + sid.group(1);
        int before = listener.subscribers();
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(session))
                .POST(HttpRequest.BodyPublishers.ofString("40{\"JWT\":\"" + token() + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.body()).isEqualTo("ok");
        await().atMost(WAIT).until(() -> listener.subscribers() == before + 1);

        runALargeJobWatchingTheBudget(before);

        // Polling at last, the client gets what was held for it (within the budget), then its disconnection.
        String held = http.send(HttpRequest.newBuilder(URI.create(session)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        List<String> packets = Arrays.asList(held.split("\u001e"));
        assertThat(packets).contains("41");
        assertThat(packets.stream().filter(p -> p.startsWith("42[\"sync\"")).mapToInt(String::length).sum())
                .isLessThanOrEqualTo((int) BUDGET);
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** A client's text frame: masked, as RFC 6455 requires of clients. */
    private static byte[] maskedTextFrame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = {1, 2, 3, 4};
        java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream();
        frame.write(0x81);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xFF);
        }
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }
}
