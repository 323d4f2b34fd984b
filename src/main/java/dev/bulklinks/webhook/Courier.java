package dev.bulklinks.webhook;

import dev.bulklinks.database.Batches;
import dev.bulklinks.worker.Backoff;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Sends due webhook deliveries: claims a batch from the outbox (any instance may, each row to one),
 * sends them at once with no transaction open, and records each attempt's end. A delivery that gets no
 * 2xx is tried again later, the wait doubling from {@code retry-backoff} up to an hour, until
 * {@code retry-for} after it was queued; then it is failed. Redirects are not followed: a receiver that
 * moved must be registered again, so the allow-list is never left.
 */
@ApplicationScoped
class Courier {

    private static final Logger LOG = Logger.getLogger(Courier.class);
    /** Headers a receiver reads besides the signature. */
    static final String DELIVERY_HEADER = "X-BulkLinks-Delivery";
    static final String EVENT_HEADER = "X-BulkLinks-Event";
    private static final Duration MAX_BACKOFF = Duration.ofHours(1);
    /** Bytes of a failed answer's body kept as its error, for GET .../deliveries. */
    private static final int ERROR_BYTES = 300;

    private final WebhookRepository webhooks;
    private final WebhookConfig config;
    private final Destinations destinations;
    private final HttpClient http;

    Courier(WebhookRepository webhooks, WebhookConfig config, Destinations destinations) {
        this.webhooks = webhooks;
        this.config = config;
        this.destinations = destinations;
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Scheduled(every = "${bulklinks.webhooks.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void sendDue() {
        try {
            List<WebhookRepository.Outgoing> batch;
            do {
                // The lease outlasts the attempt's own limit, so no other instance sends it meanwhile.
                batch = webhooks.claimDue(config.concurrency(), config.timeout().multipliedBy(2).plusSeconds(5));
                CompletableFuture.allOf(batch.stream().map(this::attempt).toArray(CompletableFuture[]::new)).join();
            } while (batch.size() == config.concurrency());
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Sending webhook deliveries failed (%s); they are tried again in %s", e.getMessage(),
                    config.pollInterval());
        }
    }

    @Scheduled(every = "1h", delay = 5, delayUnit = TimeUnit.MINUTES,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void deleteOld() {
        try {
            Batches.untilDone(500, limit -> webhooks.deleteFinished(config.keep(), limit));
        } catch (RuntimeException e) {
            LOG.warnf("Deleting old webhook deliveries failed (%s); it is tried again in an hour", e.getMessage());
        }
    }

    private CompletableFuture<Void> attempt(WebhookRepository.Outgoing delivery) {
        Optional<String> refused = destinations.refusal(delivery.url());
        if (refused.isPresent()) {
            return CompletableFuture.runAsync(() -> record(delivery, null, refused.get()));
        }
        long now = Instant.now().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(URI.create(delivery.url()))
                .timeout(config.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "BulkLinks-Webhooks/1")
                .header(DELIVERY_HEADER, delivery.id().toString())
                .header(EVENT_HEADER, delivery.event())
                .header(Signature.HEADER, Signature.header(delivery.secret(), now, delivery.payload()))
                .POST(HttpRequest.BodyPublishers.ofString(delivery.payload(), StandardCharsets.UTF_8))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                .handle((response, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                        record(delivery, null, cause.getClass().getSimpleName()
                                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
                    } else {
                        String body = head(response.body());
                        boolean ok = response.statusCode() / 100 == 2;
                        record(delivery, response.statusCode(), ok ? null : "HTTP " + response.statusCode()
                                + (body.isEmpty() ? "" : ": " + body));
                    }
                    return null;
                });
    }

    /** Records an attempt: delivered when {@code error} is null, else retried or, past the window, failed. */
    private void record(WebhookRepository.Outgoing delivery, Integer status, String error) {
        Instant next = null;
        if (error != null) {
            Instant retry = Instant.now().plus(Backoff.after(delivery.attempts(), config.retryBackoff(), MAX_BACKOFF,
                    ThreadLocalRandom.current()));
            if (retry.isBefore(delivery.createdAt().plus(config.retryFor()))) {
                next = retry;
            } else {
                LOG.warnf("Webhook delivery %s (%s) failed after %d attempts; last error: %s", delivery.id(),
                        delivery.event(), delivery.attempts(), error);
            }
        }
        try {
            webhooks.attempted(delivery.id(), error == null, status, error, next);
        } catch (SQLException e) {
            // Its lease runs out and it is sent again: the receiver sees the same delivery id twice.
            LOG.warnf("Recording webhook delivery %s failed (%s); it is sent again", delivery.id(), e.getMessage());
        }
    }

    private static String head(InputStream body) {
        try (body) {
            return new String(body.readNBytes(ERROR_BYTES), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
