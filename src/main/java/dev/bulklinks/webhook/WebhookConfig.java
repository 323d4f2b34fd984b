package dev.bulklinks.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of webhooks ({@code bulklinks.webhooks.*}). */
@ConfigMapping(prefix = "bulklinks.webhooks")
public interface WebhookConfig {

    /**
     * The hosts webhooks may call: names, {@code *.domain} wildcards, IP addresses or CIDR ranges, comma
     * separated. Default: none, so no webhook can be registered until an operator lists its host.
     */
    Optional<List<String>> allowedHosts();

    /** How often each instance looks for deliveries that are due. Default 1s. */
    @WithDefault("1s")
    Duration pollInterval();

    /** Deliveries one instance sends at a time. Default 16. */
    @WithDefault("16")
    int concurrency();

    /** How long one attempt may take, connecting included; past it the attempt failed. Default 10s. */
    @WithDefault("10s")
    Duration timeout();

    /** The wait before the second attempt; it doubles after each failed attempt, up to an hour. Default 30s. */
    @WithDefault("30s")
    Duration retryBackoff();

    /** How long a delivery is retried before it is given up as failed. Default 24h. */
    @WithDefault("24h")
    Duration retryFor();

    /** How long delivered and failed deliveries are kept for GET .../deliveries. Default 7d. */
    @WithDefault("7d")
    Duration keep();
}
