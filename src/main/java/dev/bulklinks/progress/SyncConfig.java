package dev.bulklinks.progress;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The sync feed and its streams ({@code bulklinks.sync.*}). */
@ConfigMapping(prefix = "bulklinks.sync")
public interface SyncConfig {

    /** How long events are kept; a client whose cursor is older must resync. Default 7d. */
    @WithDefault("7d")
    Duration retention();

    /** How often old events are trimmed. Default 1h. */
    @WithDefault("1h")
    Duration trimInterval();

    /** Interval of the heartbeat comments that keep idle streams open through proxies. Default 15s. */
    @WithDefault("15s")
    Duration heartbeat();

    /**
     * How often the feed is read when no notification came: notifications only wake readers early,
     * the stored feed is what they read. Default 1s.
     */
    @WithDefault("1s")
    Duration pollInterval();

    /**
     * Bytes of events one stream may hold for a client that does not take them as fast as they come:
     * queued live events, and the page of a catch-up with what it has sent and the client has not taken
     * yet. Past it a live stream is closed, and its client resumes with Last-Event-ID from the stored
     * feed, missing nothing; a catch-up waits instead (it reads the feed at the client's pace). Default
     * 4M: about 100 links events of 1000 ids (40 KB each), several seconds of the fastest job's events,
     * and ample in flight for a reader on any real network to go at full speed. One {@code POST /sync/get}
     * answer stops at about as many bytes too (with a warning that more remain).
     */
    @WithDefault("4M")
    MemorySize maxPendingBytes();

    /**
     * Bytes of events all the streams of this instance may hold together (each stream counts what it
     * holds, so an event waiting for two streams counts twice: the bound is conservative). When less
     * than {@link #maxPendingBytes()} is left, a new stream is refused with 503 and Retry-After, and a
     * live stream holding more than its share (this total over the open streams) is closed. Default 64M:
     * 16 streams fully behind at once, a quarter of the 256 MB heap the benchmark runs the service in.
     */
    @WithDefault("64M")
    MemorySize maxPendingBytesTotal();

    /**
     * How long a stream may wait for its client to take what was sent before it is closed: a client
     * that stopped reading holds its budget this long at most. Default 60s.
     */
    @WithDefault("60s")
    Duration sendTimeout();

    /** The reconnect delay suggested to clients, in the first event of a stream. Default 2s. */
    @WithDefault("2s")
    Duration reconnectDelay();
}
