package dev.bulklinks.progress;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A {@link Subscription.Sink} writing Server-Sent Events: each event's {@code id} is its cursor, so a
 * client that reconnects with {@code Last-Event-ID} resumes right after it; heartbeats are comments.
 */
final class SseSink implements Subscription.Sink {

    private final SseEventSink sink;
    private final Sse sse;
    private final String name;
    private final Function<SyncEvent, String> data;
    private final long reconnectDelay;
    private final Runnable abort;
    private boolean first = true;

    /**
     * @param name the SSE event name
     * @param data the event's data line, as JSON
     * @param abort cuts the connection ({@link dev.bulklinks.api.Connections#cut})
     */
    SseSink(SseEventSink sink, Sse sse, String name, Function<SyncEvent, String> data, Duration reconnectDelay,
            Runnable abort) {
        this.sink = sink;
        this.sse = sse;
        this.name = name;
        this.data = data;
        this.reconnectDelay = reconnectDelay.toMillis();
        this.abort = abort;
    }

    @Override
    public CompletionStage<?> send(SyncEvent event) {
        OutboundSseEvent.Builder builder = sse.newEventBuilder().id(Long.toString(event.cursor()))
                .name(name == null ? event.dataType() : name).data(String.class, data.apply(event));
        if (first) {
            builder.reconnectDelay(reconnectDelay);
            first = false;
        }
        return sink.send(builder.build());
    }

    @Override
    public CompletionStage<?> heartbeat() {
        return sink.send(sse.newEventBuilder().comment("heartbeat").build());
    }

    @Override
    public void close() {
        sink.close();
    }

    /**
     * Closes the connection: what waits to be written to a client that does not read is dropped with
     * it, where ending the response would keep it queued behind the unread bytes.
     */
    @Override
    public void abort() {
        try {
            abort.run();
        } finally {
            sink.close();
        }
    }
}
