package dev.bulklinks.intake;

import dev.bulklinks.database.Batches;
import dev.bulklinks.database.Sql;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Every SQL statement on {@code idempotency_key}, and the trimming of old keys. */
@ApplicationScoped
public class IdempotencyKeys {

    private static final Logger LOG = Logger.getLogger(IdempotencyKeys.class);
    private static final int BATCH = 10_000;

    /** The submission a key names: its request's hash and its job. */
    public record Stored(byte[] hash, UUID job) {
    }

    private final Sql sql;
    private final IntakeConfig config;

    IdempotencyKeys(Sql sql, IntakeConfig config) {
        this.sql = sql;
        this.config = config;
    }

    /** The submission {@code owner} made with {@code key} in {@code project}. */
    public Optional<Stored> find(String project, String owner, String key) throws SQLException {
        return sql.first("SELECT body_hash, job_token FROM idempotency_key WHERE project = ? AND owner = ? AND key = ?",
                rs -> new Stored(rs.getBytes(1), rs.getObject(2, UUID.class)), project, owner, key);
    }

    /**
     * Records that {@code key} names {@code job}. False when the key is taken: by a committed
     * submission, or by one still storing, which this call waits for.
     */
    public boolean claim(String project, String owner, String key, byte[] hash, UUID job) throws SQLException {
        return sql.update("""
                INSERT INTO idempotency_key (project, owner, key, body_hash, job_token) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT DO NOTHING""", project, owner, key, hash, job) == 1;
    }

    private int trim(Duration olderThan, int limit) throws SQLException {
        return sql.update("""
                DELETE FROM idempotency_key WHERE (project, owner, key) IN (
                    SELECT project, owner, key FROM idempotency_key
                     WHERE created_at < clock_timestamp() - ? * interval '1 millisecond'
                     LIMIT ?)""", olderThan.toMillis(), limit);
    }

    @Scheduled(every = "${bulklinks.retention.interval:10m}", delay = 1, delayUnit = java.util.concurrent.TimeUnit.MINUTES,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void trimExpired() {
        try {
            int total = Batches.untilDone(BATCH, limit -> trim(config.idempotencyRetention(), limit));
            if (total > 0) {
                LOG.infof("Forgot %d idempotency keys older than %s", total, config.idempotencyRetention());
            }
        } catch (RuntimeException e) {
            LOG.warnf("Trimming idempotency keys failed (%s); it is tried again later", e.getMessage());
        }
    }
}
