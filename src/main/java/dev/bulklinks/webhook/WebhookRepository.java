package dev.bulklinks.webhook;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.bulklinks.database.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Every SQL statement on webhooks and their deliveries. */
@ApplicationScoped
public class WebhookRepository {

    private static final String WEBHOOK = "id, project, url, events, progress_every, created_by, created_at";
    private static final String DELIVERY = """
            id, webhook, event, job, state, attempts, last_status, last_error, created_at, next_attempt_at,
            finished_at, seq""";

    private final Sql sql;

    WebhookRepository(Sql sql) {
        this.sql = sql;
    }

    /** A webhook as the API shows it; its secret only in the answer that registered it. */
    @JsonPropertyOrder({"id", "project_gid", "url", "events", "progress_every", "secret", "created_by", "created_on"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Webhook(UUID id, @JsonProperty("project_gid") String project, String url, List<String> events,
            @JsonProperty("progress_every") int progressEvery, String secret,
            @JsonProperty("created_by") String createdBy, @JsonProperty("created_on") Instant createdOn) {
    }

    /** One event for one webhook, and how its sending went. */
    @JsonPropertyOrder({"id", "webhook", "event", "job.token", "state", "attempts", "last_status", "last_error",
            "created_on", "next_attempt_on", "finished_on"})
    public record Delivery(UUID id, UUID webhook, String event, @JsonProperty("job.token") UUID job, String state,
            int attempts, @JsonProperty("last_status") Integer lastStatus, @JsonProperty("last_error") String lastError,
            @JsonProperty("created_on") Instant createdOn, @JsonProperty("next_attempt_on") Instant nextAttemptOn,
            @JsonProperty("finished_on") Instant finishedOn, @JsonIgnore long seq) {
    }

    /** A delivery claimed for one attempt. */
    record Outgoing(UUID id, String url, String secret, String event, String payload, int attempts, Instant createdAt) {
    }

    /** A delivery to write: the webhook, or the callback URL, the delivery's id and its body. */
    record Pending(UUID webhook, String url, UUID id, String payload) {
    }

    // ---- webhooks ------------------------------------------------------------------------------

    public void insert(Webhook w, String secret) throws SQLException {
        // The events as a String[]: PostgreSQL's driver binds it as text[] without a connection of its own.
        sql.update("""
                INSERT INTO webhook (id, project, url, events, progress_every, secret, created_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", w.id(), w.project(), w.url(), w.events().toArray(String[]::new),
                w.progressEvery(), secret, w.createdBy(), Timestamp.from(w.createdOn()));
    }

    /** A project's webhooks, oldest first. */
    public List<Webhook> list(String project) throws SQLException {
        return sql.list("SELECT " + WEBHOOK + " FROM webhook WHERE project = ? ORDER BY created_at, id",
                WebhookRepository::webhook, project);
    }

    public Optional<Webhook> find(String project, UUID id) throws SQLException {
        return sql.first("SELECT " + WEBHOOK + " FROM webhook WHERE project = ? AND id = ?",
                WebhookRepository::webhook, project, id);
    }

    /** Deletes a webhook with its deliveries; false when there was none. */
    public boolean delete(String project, UUID id) throws SQLException {
        return sql.update("DELETE FROM webhook WHERE project = ? AND id = ?", project, id) > 0;
    }

    /** The project's callback secret, made now if it has none yet; in the caller's transaction. */
    public String callbackSecret(String project) throws SQLException {
        return sql.first("""
                UPDATE project SET callback_secret = coalesce(callback_secret, ?) WHERE name = ?
                RETURNING callback_secret""", rs -> rs.getString(1), Signature.newSecret(), project).orElse(null);
    }

    // ---- the outbox ----------------------------------------------------------------------------

    /**
     * The webhooks of {@code project} that {@code event} of {@code job} goes to now. For
     * {@code job.progress}, those that had none for the job in the last {@code progress_every} seconds:
     * a job's chunk commits queue on its row, so each sees the delivery the one before wrote.
     */
    List<UUID> recipients(String project, String event, UUID job) throws SQLException {
        return sql.list("""
                SELECT w.id FROM webhook w
                 WHERE w.project = ? AND ? = ANY (w.events)
                   AND (? <> 'job.progress' OR NOT EXISTS (
                        SELECT 1 FROM webhook_delivery d
                         WHERE d.webhook = w.id AND d.job = ? AND d.event = 'job.progress'
                           AND d.created_at > now() - make_interval(secs => w.progress_every)))""",
                rs -> rs.getObject(1, UUID.class), project, event, event, job);
    }

    /** Queues deliveries, in the caller's transaction. */
    void enqueue(String project, String event, UUID job, List<Pending> deliveries) throws SQLException {
        sql.with(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO webhook_delivery (id, webhook, url, project, event, job, payload)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
                for (Pending p : deliveries) {
                    ps.setObject(1, p.id());
                    ps.setObject(2, p.webhook());
                    ps.setString(3, p.url());
                    ps.setString(4, project);
                    ps.setString(5, event);
                    ps.setObject(6, job);
                    ps.setString(7, p.payload());
                    ps.addBatch();
                }
                return ps.executeBatch();
            }
        });
    }

    /**
     * Claims up to {@code limit} due deliveries for one attempt each. Moving {@code next_attempt_at} past the
     * attempt's time limit is the lease: should this instance die while sending, the delivery is due again
     * then, for any instance. Oldest due first, skipping rows another instance is claiming.
     */
    List<Outgoing> claimDue(int limit, Duration lease) throws SQLException {
        return sql.list("""
                WITH due AS (
                    SELECT id FROM webhook_delivery
                     WHERE state = 'pending' AND next_attempt_at <= now()
                     ORDER BY next_attempt_at
                     LIMIT ?
                     FOR UPDATE SKIP LOCKED)
                UPDATE webhook_delivery d
                   SET attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => ?)
                  FROM due
                 WHERE d.id = due.id
                RETURNING d.id,
                          coalesce(d.url, (SELECT w.url FROM webhook w WHERE w.id = d.webhook)),
                          coalesce((SELECT w.secret FROM webhook w WHERE w.id = d.webhook),
                                   (SELECT p.callback_secret FROM project p WHERE p.name = d.project)),
                          d.event, d.payload, d.attempts, d.created_at""",
                rs -> new Outgoing(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getInt(6), rs.getTimestamp(7).toInstant()),
                limit, lease.toMillis() / 1000.0);
    }

    /**
     * Records an attempt's end: delivered when {@code delivered}, else pending again at {@code nextAttempt},
     * or failed for good when that is null. The last error stays after a later success, to show why it took
     * more than one attempt.
     */
    void attempted(UUID id, boolean delivered, Integer status, String error, Instant nextAttempt)
            throws SQLException {
        String state = delivered ? "delivered" : nextAttempt == null ? "failed" : "pending";
        sql.update("""
                UPDATE webhook_delivery
                   SET state = ?, last_status = ?, last_error = coalesce(?, last_error),
                       next_attempt_at = coalesce(?, next_attempt_at),
                       finished_at = CASE WHEN ? = 'pending' THEN NULL ELSE now() END
                 WHERE id = ? AND state = 'pending'""",
                state, status, error, nextAttempt == null ? null : Timestamp.from(nextAttempt), state, id);
    }

    /** A webhook's deliveries, newest first, after cursor {@code before} (null: from the newest). */
    public List<Delivery> deliveries(UUID webhook, Long before, int limit) throws SQLException {
        return sql.list("SELECT " + DELIVERY + " FROM webhook_delivery WHERE webhook = ? AND seq < ?"
                + " ORDER BY seq DESC LIMIT ?",
                rs -> new Delivery(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getObject(4, UUID.class), rs.getString(5), rs.getInt(6), (Integer) rs.getObject(7),
                        rs.getString(8), instant(rs, 9), instant(rs, 10), instant(rs, 11), rs.getLong(12)),
                webhook, before == null ? Long.MAX_VALUE : before, limit);
    }

    /** Deletes delivered and failed deliveries finished before {@code age} ago, at most {@code limit}. */
    int deleteFinished(Duration age, int limit) throws SQLException {
        return sql.update("""
                DELETE FROM webhook_delivery WHERE id IN (
                    SELECT id FROM webhook_delivery
                     WHERE state <> 'pending' AND finished_at < now() - make_interval(secs => ?)
                     LIMIT ?)""", (double) age.toSeconds(), limit);
    }

    private static Webhook webhook(ResultSet rs) throws SQLException {
        return new Webhook(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                Arrays.asList((String[]) rs.getArray(4).getArray()), rs.getInt(5), null, rs.getString(6),
                rs.getTimestamp(7).toInstant());
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
