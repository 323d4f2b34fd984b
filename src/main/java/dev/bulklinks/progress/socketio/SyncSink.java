package dev.bulklinks.progress.socketio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.progress.Subscription;
import dev.bulklinks.progress.SyncEvent;
import io.socket.socketio.server.SocketIoSocket;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.jboss.logging.Logger;
import org.json.JSONObject;

/**
 * A stream of the sync feed into one socket.io socket: each item is a {@code sync} event carrying a list
 * of one sync item, written by the service's ObjectMapper exactly as {@code /sync/get} and
 * {@code /sync/stream} write it. A send completes when the client took it ({@link Delivery}), so the
 * stream's byte budget and send timeout hold for sockets as for SSE: a client that does not read is cut
 * off, and catches up with {@code POST /sync/get} when it comes back.
 */
final class SyncSink implements Subscription.Sink {

    private static final Logger LOG = Logger.getLogger(SyncSink.class);

    private final ObjectMapper json;
    private final Delivery delivery;
    private final Function<String, Optional<String>> renewal;
    private final Executor worker;
    private volatile String token;
    private volatile SocketIoSocket socket;

    /**
     * @param delivery the engine.io connection's
     * @param token the JWT the client connected with
     * @param renewal the renewed token for a token, when renewal is due ({@link SyncIo#renewal})
     * @param worker where renewal is asked (it may read the database), off the feed's heartbeat thread
     */
    SyncSink(ObjectMapper json, Delivery delivery, String token, Function<String, Optional<String>> renewal,
            Executor worker) {
        this.json = json;
        this.delivery = delivery;
        this.token = token;
        this.renewal = renewal;
        this.worker = worker;
    }

    /** The socket connected: the stream sends to it from now on (it sends nothing before). */
    void bind(SocketIoSocket socket) {
        this.socket = socket;
    }

    /**
     * Sends the {@code authorization} event: {@code {"success": true, "JWT": "<token>"}}, the token the
     * client is to use from now on (renewed when due, else the one it connected with).
     */
    void authorize() {
        renewal.apply(token).ifPresent(renewed -> token = renewed);
        sendAuthorization(socket, token);
    }

    private static void sendAuthorization(SocketIoSocket to, String jwt) {
        to.send("authorization", new JSONObject().put("success", true).put("JWT", jwt));
    }

    @Override
    public CompletionStage<?> send(SyncEvent event) {
        String items;
        try {
            items = json.writeValueAsString(List.of(event));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        CompletableFuture<Void> taken = delivery.expect();
        socket.send("sync", new RawJson(items));
        return taken;
    }

    /**
     * engine.io pings the client itself; the feed's heartbeat is when a token due for renewal is renewed,
     * and the renewed one sent in an {@code authorization} event.
     */
    @Override
    public CompletionStage<?> heartbeat() {
        worker.execute(() -> renewal.apply(token).ifPresent(renewed -> {
            token = renewed;
            SocketIoSocket bound = socket;
            if (bound != null) {
                sendAuthorization(bound, renewed);
            }
        }));
        return CompletableFuture.completedFuture(null);
    }

    /** The feed ends (the instance stops): the client reconnects, to this instance or another. */
    @Override
    public void close() {
        disconnect();
    }

    /**
     * The client does not take what it is sent: the socket is disconnected and its engine.io connection
     * closed (a websocket's connection is cut after {@link VertxWebSocket#CLOSE_GRACE_MILLIS}; a polling
     * client's buffer goes when engine.io's ping timeout ends the connection).
     */
    @Override
    public void abort() {
        LOG.debugf("socket.io socket %s is cut off: its client does not take what it is sent",
                socket == null ? "(not connected)" : socket.getId());
        disconnect();
    }

    private void disconnect() {
        SocketIoSocket bound = socket;
        if (bound != null) {
            bound.disconnect(true);
        }
    }
}
