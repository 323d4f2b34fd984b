package dev.bulklinks.intake;

import dev.bulklinks.database.Batches;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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

    private final AgroalDataSource dataSource;
    private final IntakeConfig config;

    IdempotencyKeys(AgroalDataSource dataSource, IntakeConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    /** The submission {@code owner} made with {@code key} in {@code project}. */
    public Optional<Stored> find(String project, String owner, String key) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT body_hash, job_token FROM idempotency_key WHERE project = ? AND owner = ? AND key = ?")) {
            ps.setString(1, project);
            ps.setString(2, owner);
            ps.setString(3, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Stored(rs.getBytes(1), rs.getObject(2, UUID.class))) : Optional.empty();
            }
        }
    }

    /**
     * Records that {@code key} names {@code job}. False when the key is taken: by a committed
     * submission, or by one still storing, which this call waits for.
     */
    public boolean claim(String project, String owner, String key, byte[] hash, UUID job) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO idempotency_key (project, owner, key, body_hash, job_token) VALUES (?, ?, ?, ?, ?)
                            ON CONFLICT DO NOTHING""")) {
            ps.setString(1, project);
            ps.setString(2, owner);
            ps.setString(3, key);
            ps.setBytes(4, hash);
            ps.setObject(5, job);
            return ps.executeUpdate() == 1;
        }
    }

    private int trim(Duration olderThan, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        DELETE FROM idempotency_key WHERE (project, owner, key) IN (
                            SELECT project, owner, key FROM idempotency_key
                             WHERE created_at < clock_timestamp() - ? * interval '1 millisecond'
                             LIMIT ?)""")) {
            ps.setLong(1, olderThan.toMillis());
            ps.setInt(2, limit);
            return ps.executeUpdate();
        }
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
