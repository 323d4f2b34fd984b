package dev.bulklinks.progress.socketio;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.api.ApiError;
import dev.bulklinks.api.ErrorMapper;
import io.socket.engineio.server.utils.ParseQS;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * {@code /sync/io/}, on the service's HTTP port: Engine.IO's two transports handed to {@link SyncIo}.
 * {@code ?EIO=4&transport=polling} requests ({@code GET} long-polls for packets, {@code POST} brings the
 * client's) go to engine.io-server as servlet requests ({@link PollingExchange}); a
 * {@code ?EIO=4&transport=websocket} request is upgraded to a Vert.x websocket ({@link VertxWebSocket}),
 * a fresh connection or the upgrade of a polling one.
 *
 * <p>A Vert.x route, ahead of the REST resources, so the HTTP auth filter never sees these requests: they
 * carry no {@code Authorization} header; the client's token comes in its socket.io auth payload, and is
 * checked before its socket connects ({@link ConnectGate}). Only what could not be an Engine.IO request
 * is refused here, in the envelope; engine.io-server answers its own protocol's errors
 * ({@code {"code": 1, "message": "Session ID unknown"}}, ...).
 */
@ApplicationScoped
public class SyncIoRoute {

    /** The path Unicat's clients connect to ({@code socketio_path="/sync/io"}). */
    public static final String PATH = "/sync/io";
    /** Largest body of a polling POST: Engine.IO's own default ({@code maxHttpBufferSize}, 1e6). */
    static final int MAX_BODY = 1_000_000;
    private static final Logger LOG = Logger.getLogger(SyncIoRoute.class);

    private final SyncIo io;
    private final Vertx vertx;
    private final ObjectMapper json;

    SyncIoRoute(SyncIo io, Vertx vertx, ObjectMapper json) {
        this.io = io;
        this.vertx = vertx;
        this.json = json;
    }

    void install(@Observes Router router) {
        // Right after RequestGate (Integer.MIN_VALUE), before the REST resources (whose /sync would answer 404).
        router.routeWithRegex(PATH + "/?").order(Integer.MIN_VALUE + 1).handler(this::handle);
    }

    private void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        Map<String, String> query = query(request.query());
        if (query == null) {
            refuse(context, "Connect with a socket.io client (path " + PATH + "): its requests carry ?EIO=4&transport=...");
            return;
        }
        if ("websocket".equals(query.get("transport"))) {
            upgrade(context);
        } else if (request.method() == HttpMethod.POST) {
            post(context);
        } else {
            poll(request, null);
        }
    }

    private void upgrade(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (!"websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE))) {
            refuse(context, "transport=websocket needs a websocket upgrade request (Upgrade: websocket).");
            return;
        }
        request.toWebSocket().onSuccess(socket -> io.engine().handleWebSocket(new VertxWebSocket(vertx, request, socket)))
                .onFailure(e -> LOG.debugf("A websocket upgrade at %s failed: %s", PATH, e.getMessage()));
    }

    private void post(RoutingContext context) {
        HttpServerRequest request = context.request();
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        long bytes;
        try {
            bytes = length == null ? -1 : Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            bytes = -1;
        }
        if (bytes < 0) {
            ErrorMapper.respond(context, new ApiError(411, "A polling POST needs a Content-Length (socket.io clients"
                    + " send one).", null), json);
            return;
        }
        if (bytes > MAX_BODY) {
            ErrorMapper.respond(context, new ApiError(413, "A polling POST may carry " + MAX_BODY + " bytes at most;"
                    + " this one has " + bytes + ".", null), json);
            return;
        }
        request.body().onSuccess(body -> poll(request, body))
                .onFailure(e -> LOG.debugf("A polling POST at %s was not read whole: %s", PATH, e.getMessage()));
        // Quarkus hands requests to routes paused (its body handling resumes them when it reads).
        request.resume();
    }

    private void poll(HttpServerRequest request, Buffer body) {
        PollingExchange exchange = new PollingExchange(vertx, request, body);
        try {
            io.engine().handleRequest(exchange.request(), exchange.response());
            exchange.handled();
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "engine.io failed on a polling request");
            if (!request.response().ended()) {
                request.response().setStatusCode(500).end();
            }
        }
    }

    private void refuse(RoutingContext context, String message) {
        ErrorMapper.respond(context, new ApiError(400, message, null), json);
    }

    /** The query as engine.io-server reads it, or null when it cannot (it would throw on it). */
    static Map<String, String> query(String query) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        try {
            return ParseQS.decode(query);
        } catch (RuntimeException e) {
            // A repeated name, or a % that starts no %XX escape.
            return null;
        }
    }
}
