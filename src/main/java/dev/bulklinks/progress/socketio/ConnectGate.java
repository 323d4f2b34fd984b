package dev.bulklinks.progress.socketio;

import dev.bulklinks.api.ApiError;
import io.socket.engineio.server.EngineIoSocket;
import io.socket.engineio.server.Emitter;
import io.socket.socketio.server.parser.IOParser;
import io.socket.socketio.server.parser.Packet;
import io.socket.socketio.server.parser.Parser;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;
import org.json.JSONObject;

/**
 * Holds what a client sends on one engine.io connection until its socket.io {@code CONNECT} is
 * authorized. socket.io-server 4.1.2 has no middleware: it accepts every {@code CONNECT} at once. So
 * the library's reader of the connection's data is taken off the connection and fed through this gate:
 * a {@code CONNECT} to the default namespace waits while its auth payload is checked on a worker thread
 * (the check reads the database), then goes on to the library, which connects the socket; or it is
 * refused with a {@code CONNECT_ERROR} packet, which socket.io clients raise as {@code connect_error}
 * with its message, as a middleware's refusal. What comes meanwhile waits behind it, in order.
 */
final class ConnectGate {

    /** The check of a {@code CONNECT}'s auth payload: what the socket gets, or why it is refused. */
    interface Check {
        Verdict check(Object auth);
    }

    /**
     * @param accepted what the connected socket gets; null when refused
     * @param refusal why it is refused; null when accepted
     */
    record Verdict(Accepted accepted, ApiError refusal) {
    }

    private static final Logger LOG = Logger.getLogger(ConnectGate.class);
    private static final String CONNECT_TYPE = Integer.toString(Parser.CONNECT);

    private final EngineIoSocket connection;
    private final List<Emitter.Listener> library;
    private final Executor worker;
    private final Check check;
    private final Deque<Object> held = new ArrayDeque<>();
    /** A pump is running (forwarding, or waiting for a check). Guarded by this. */
    private boolean pumping;
    /** The socket of the CONNECT being forwarded, for the library's connection handler to take. */
    private volatile Accepted forwarding;

    private ConnectGate(EngineIoSocket connection, List<Emitter.Listener> library, Executor worker, Check check) {
        this.connection = connection;
        this.library = library;
        this.worker = worker;
        this.check = check;
    }

    /**
     * Puts a gate between {@code connection} and the library's reader, which socket.io-server registered
     * on the connection's {@code data} event when the connection opened.
     */
    static ConnectGate install(EngineIoSocket connection, Executor worker, Check check) {
        List<Emitter.Listener> library = new ArrayList<>(connection.listeners("data"));
        for (Emitter.Listener listener : library) {
            connection.off("data", listener);
        }
        ConnectGate gate = new ConnectGate(connection, library, worker, check);
        connection.on("data", args -> gate.arrived(args[0]));
        return gate;
    }

    /** What the socket being connected now gets; null when no authorized CONNECT is being forwarded. */
    Accepted takeAccepted() {
        Accepted accepted = forwarding;
        forwarding = null;
        return accepted;
    }

    private void arrived(Object data) {
        synchronized (this) {
            held.add(data);
            if (pumping) {
                return;
            }
            pumping = true;
        }
        pump();
    }

    /** Forwards what is held, in order, until a CONNECT must wait for its check. */
    private void pump() {
        while (true) {
            Object next;
            synchronized (this) {
                next = held.poll();
                if (next == null) {
                    pumping = false;
                    return;
                }
            }
            Packet<?> connect = connectToDefault(next);
            if (connect == null) {
                forward(next);
                continue;
            }
            worker.execute(() -> {
                try {
                    Verdict verdict = check.check(connect.data);
                    if (verdict.accepted() != null) {
                        forwarding = verdict.accepted();
                        forward(next);
                        Accepted untaken = takeAccepted();
                        if (untaken != null) {
                            // The connection closed meanwhile: the library connected no socket.
                            untaken.subscription().close();
                        }
                    } else {
                        refuse(verdict.refusal());
                    }
                } catch (RuntimeException e) {
                    LOG.error("A socket.io connection could not be checked", e);
                    refuse(new ApiError(503, "The service could not check this connection; connect again.", null));
                } finally {
                    pump();
                }
            });
            return;
        }
    }

    private void forward(Object data) {
        for (Emitter.Listener listener : library) {
            listener.call(data);
        }
    }

    /** The packet when {@code data} is a CONNECT to the default namespace, else null. */
    private static Packet<?> connectToDefault(Object data) {
        if (!(data instanceof String text) || !text.startsWith(CONNECT_TYPE)) {
            return null;
        }
        // The library's own decoder reads it (a packet it cannot read goes on to the library, which refuses it).
        IOParser.Decoder decoder = new IOParser.Decoder();
        Packet<?>[] decoded = new Packet<?>[1];
        decoder.onDecoded(packet -> decoded[0] = packet);
        try {
            decoder.add(text);
        } catch (RuntimeException e) {
            return null;
        } finally {
            decoder.destroy();
        }
        Packet<?> packet = decoded[0];
        return packet != null && packet.type == Parser.CONNECT && "/".equals(packet.nsp) ? packet : null;
    }

    /**
     * Answers a CONNECT_ERROR, as socket.io's server does for a middleware's refusal: {@code message} for
     * every client, {@code data} the contract's error object ({@code code}, {@code message}, {@code info}).
     */
    private void refuse(ApiError error) {
        JSONObject data = new JSONObject();
        data.put("message", error.message());
        data.put("data", new JSONObject().put("code", error.code()).put("message", error.message())
                .put("info", new JSONObject(error.info())));
        Packet<JSONObject> packet = new Packet<>(Parser.CONNECT_ERROR, data);
        packet.nsp = "/";
        new IOParser.Encoder().encode(packet, encoded -> {
            for (Object item : encoded) {
                io.socket.engineio.server.parser.Packet<Object> message = new io.socket.engineio.server.parser.Packet<>(
                        io.socket.engineio.server.parser.Packet.MESSAGE);
                message.data = item;
                connection.send(message);
            }
        });
    }
}
