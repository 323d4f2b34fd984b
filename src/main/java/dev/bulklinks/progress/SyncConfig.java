package dev.bulklinks.progress;

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

    /** Events a stream may have waiting for a slow client before it is closed (the client reconnects and catches up). Default 10000. */
    @WithDefault("10000")
    int maxPending();

    /** The reconnect delay suggested to clients, in the first event of a stream. Default 2s. */
    @WithDefault("2s")
    Duration reconnectDelay();
}
