package dev.bulklinks.progress.socketio;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.api.ApiError;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.api.Causes;
import dev.bulklinks.api.Database;
import dev.bulklinks.auth.Caller;
import dev.bulklinks.auth.Callers;
import dev.bulklinks.auth.Tokens;
import dev.bulklinks.progress.FeedListener;
import dev.bulklinks.progress.Subscription;
import dev.bulklinks.progress.SyncFeed;
import dev.bulklinks.progress.SyncQuery;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.socket.engineio.server.EngineIoServer;
import io.socket.engineio.server.EngineIoServerOptions;
import io.socket.engineio.server.EngineIoSocket;
import io.socket.socketio.server.SocketIoServer;
import io.socket.socketio.server.SocketIoServerOptions;
import io.socket.socketio.server.SocketIoSocket;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jboss.logging.Logger;

/**
 * The sync feed pushed over socket.io, as Unicat's clients subscribe to it (python-socketio, the
 * JavaScript client): they connect to path {@code /sync/io} with the auth payload {@code {"JWT": "<token>"}}
 * (optionally {@code "cc_cursor"}, {@code "cursor"}, {@code "project"}), get an {@code authorization}
 * event, {@code {"success": true, "JWT": "<token to use from now on>"}}, and then {@code sync} events, each
 * a list of sync items of the projects they may see, in cursor order: after the cursor they gave, else
 * from now. A token that is missing, forged or expired, or a cursor older than the feed keeps, is refused
 * as {@code connect_error} with the reason.
 *
 * <p>engine.io-server and socket.io-server (io.socket, 6.3.2 and 4.1.2) speak the protocols;
 * {@link SyncIoRoute} hands them this instance's HTTP requests and websockets. Items come as they come to
 * the SSE streams: a {@link Subscription} of the instance's {@link FeedListener}, so a job run by any
 * instance reaches the sockets of every instance, and the stored feed is the truth.
 */
@ApplicationScoped
public class SyncIo {

    private static final Logger LOG = Logger.getLogger(SyncIo.class);

    private final FeedListener feed;
    private final SyncFeed items;
    private final Callers callers;
    private final Tokens tokens;
    private final ObjectMapper json;
    private final Executor worker;
    private final ScheduledExecutorService timers;
    private final EngineIoServer engine;
    private final Map<String, ConnectGate> gates = new ConcurrentHashMap<>();

    SyncIo(FeedListener feed, SyncFeed items, Callers callers, Tokens tokens, ObjectMapper json, Vertx vertx,
            SyncIoConfig config) {
        this.feed = feed;
        this.tokens = tokens;
        this.items = items;
        this.callers = callers;
        this.json = json;
        this.worker = task -> vertx.executeBlocking(() -> {
            task.run();
            return null;
        }, false);
        this.timers = Executors.newScheduledThreadPool(1, task -> {
            Thread thread = new Thread(task, "bulklinks-sync-io");
            thread.setDaemon(true);
            return thread;
        });
        EngineIoServerOptions options = EngineIoServerOptions.newFromDefault();
        // The token travels in the socket.io auth payload, never in a cookie; browsers on other origins
        // are not served (as the rest of the API).
        options.setCorsHandlingDisabled(true);
        options.setScheduledExecutorService(timers);
        options.setPingInterval(config.pingInterval().toMillis());
        options.setPingTimeout(config.pingTimeout().toMillis());
        // Engine.IO 4 (socket.io 3 and later) only: an older client connects without an auth payload.
        options.setHandshakeInterceptor((query, headers) -> "4".equals(query.get("EIO")));
        this.engine = new EngineIoServer(options);
        SocketIoServer io = new SocketIoServer(engine, SocketIoServerOptions.newFromDefault());
        // After the socket.io server's own listener, which gives each connection the reader the gate takes.
        engine.on("connection", args -> opened((EngineIoSocket) args[0]));
        io.namespace("/").on("connection", args -> connected((SocketIoSocket) args[0]));
    }

    EngineIoServer engine() {
        return engine;
    }

    void stop(@Observes ShutdownEvent event) {
        engine.shutdown();
        timers.shutdownNow();
    }

    /**
     * The token a socket connected with {@code token} should use from now on, when renewal is due (past
     * half its lifetime), else empty. Asked when the socket connects and at every heartbeat of the feed
     * ({@code bulklinks.sync.heartbeat}); a renewed token goes to the client in an {@code authorization}
     * event. A token that has expired, or whose key was revoked, gets none: the socket goes on with the
     * projects it could see when it connected, as an SSE stream does, and its client signs in again when
     * it next reconnects.
     */
    Optional<String> renewal(String token) {
        try {
            return tokens.renewalFor(token);
        } catch (ApiException | SQLException e) {
            LOG.debugf("socket.io token not renewed: %s", e.getMessage());
            return Optional.empty();
        }
    }

    /** A new engine.io connection: its packets pass the gate, its writes are followed for the budget. */
    private void opened(EngineIoSocket connection) {
        Delivery delivery = new Delivery();
        connection.on("flush", (socket, args) -> delivery.flushing());
        connection.on("drain", (socket, args) -> delivery.drained());
        String id = connection.getId();
        gates.put(id, ConnectGate.install(connection, worker, auth -> check(auth, delivery)));
        connection.on("close", args -> gates.remove(id));
    }

    /** Checks a CONNECT's auth payload and opens its stream; on a worker thread. */
    private ConnectGate.Verdict check(Object auth, Delivery delivery) {
        try {
            Handshake handshake = Handshake.read(auth);
            Caller caller = callers.of(handshake.jwt());
            Set<String> visible = QuarkusTransaction.requiringNew()
                    .call(() -> callers.visible(caller, handshake.project()));
            // The cursors as given, so that a refusal names the one the client sent.
            items.requireKnown(new SyncQuery(visible, handshake.ccCursor(), null, handshake.cursor()));
            SyncQuery query = handshake.query(visible, items.newest());
            SyncSink sink = new SyncSink(json, delivery, handshake.jwt(), this::renewal, worker);
            Subscription subscription = feed.subscribe(sink, query);
            return new ConnectGate.Verdict(new Accepted(handshake.jwt(), caller, query, sink, subscription), null);
        } catch (Exception e) {
            return new ConnectGate.Verdict(null, refusal(e));
        }
    }

    private static ApiError refusal(Exception e) {
        ApiException api = Causes.find(e, ApiException.class);
        if (api != null) {
            return api.error();
        }
        SQLException sql = Causes.find(e, SQLException.class);
        ApiError described = sql == null ? null : Database.describe(sql);
        if (described != null) {
            return described;
        }
        LOG.warnf(e, "A socket.io connection was refused: it could not be checked");
        return new ApiError(503, "The service could not check this connection right now; connect again shortly.",
                null);
    }

    /** The socket.io socket of an authorized CONNECT: it gets its authorization, then the feed. */
    private void connected(SocketIoSocket socket) {
        ConnectGate gate = gates.get(socket.getClient().getId());
        Accepted accepted = gate == null ? null : gate.takeAccepted();
        if (accepted == null) {
            // Every CONNECT to this namespace passes the gate: a socket without its verdict is not let in.
            socket.disconnect(true);
            return;
        }
        Subscription subscription = accepted.subscription();
        accepted.sink().bind(socket);
        socket.on("disconnect", args -> {
            LOG.debugf("socket.io socket %s disconnected: %s", socket.getId(), args.length > 0 ? args[0] : "");
            subscription.close();
        });
        accepted.sink().authorize();
        worker.execute(() -> {
            try {
                feed.follow(subscription, accepted.query());
            } catch (SQLException | RuntimeException e) {
                // The client reconnects, and catches up with POST /sync/get.
                LOG.warnf("A socket.io stream ended: %s", e.getMessage());
                subscription.abort();
            }
        });
        if (!socket.isConnected()) {
            subscription.close();
        }
    }
}
