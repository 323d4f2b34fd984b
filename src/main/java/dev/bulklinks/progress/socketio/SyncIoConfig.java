package dev.bulklinks.progress.socketio;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The socket.io push at {@code /sync/io} ({@code bulklinks.socketio.*}). */
@ConfigMapping(prefix = "bulklinks.socketio")
public interface SyncIoConfig {

    /**
     * How often Engine.IO pings each socket's client (the client answers; the pings also keep idle
     * connections open through proxies). Default 25s, Engine.IO's own.
     */
    @WithDefault("25s")
    Duration pingInterval();

    /**
     * How long after a ping a client that has not answered is taken for gone and its socket closed.
     * Default 20s, Engine.IO's own.
     */
    @WithDefault("20s")
    Duration pingTimeout();
}
