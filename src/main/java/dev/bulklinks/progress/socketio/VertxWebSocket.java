package dev.bulklinks.progress.socketio;

import dev.bulklinks.api.Connections;
import io.socket.engineio.server.EngineIoWebSocket;
import io.socket.engineio.server.utils.ParseQS;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * engine.io's websocket transport over a Vert.x {@link ServerWebSocket}: the client's messages go to
 * engine.io as its {@code message} events, engine.io's packets go out as text (or binary) messages, each
 * write reported to {@link Delivery}.
 */
final class VertxWebSocket extends EngineIoWebSocket {

    /**
     * How long a closing socket may take to finish its close handshake before its connection is cut: a
     * client that reads finishes in milliseconds; one that does not read never takes the close frame,
     * which waits behind what it left unread.
     */
    static final long CLOSE_GRACE_MILLIS = 5_000;

    private final Vertx vertx;
    private final HttpServerRequest upgrade;
    private final ServerWebSocket socket;
    private final Map<String, String> query;
    private final Map<String, List<String>> headers = new HashMap<>();
    private volatile boolean closing;

    /** @param upgrade the HTTP request the socket was upgraded from, whose connection it keeps */
    VertxWebSocket(Vertx vertx, HttpServerRequest upgrade, ServerWebSocket socket) {
        this.vertx = vertx;
        this.upgrade = upgrade;
        this.socket = socket;
        this.query = ParseQS.decode(upgrade.query());
        for (String name : upgrade.headers().names()) {
            headers.put(name, upgrade.headers().getAll(name));
        }
        socket.textMessageHandler(text -> emit("message", text));
        socket.binaryMessageHandler(bytes -> emit("message", (Object) bytes.getBytes()));
        socket.exceptionHandler(e -> emit("error", "websocket error", String.valueOf(e.getMessage())));
        socket.closeHandler(ignored -> emit("close"));
    }

    @Override
    public Map<String, String> getQuery() {
        return query;
    }

    @Override
    public Map<String, List<String>> getConnectionHeaders() {
        return headers;
    }

    @Override
    public void write(String message) {
        Delivery.written(socket.writeTextMessage(message));
    }

    @Override
    public void write(byte[] message) {
        Delivery.written(socket.writeBinaryMessage(Buffer.buffer(message)));
    }

    /** Closes the socket with a close frame; cuts its connection if that is not done within the grace. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        socket.close();
        vertx.setTimer(CLOSE_GRACE_MILLIS, id -> {
            if (!socket.isClosed()) {
                Connections.cut(upgrade);
            }
        });
    }
}
