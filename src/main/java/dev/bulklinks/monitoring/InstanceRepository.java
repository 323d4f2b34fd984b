package dev.bulklinks.monitoring;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.bulklinks.database.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Every SQL statement on the instance table. */
@ApplicationScoped
public class InstanceRepository {

    private final Sql sql;

    InstanceRepository(Sql sql) {
        this.sql = sql;
    }

    /**
     * An instance as the dashboard shows it: {@code alive} while it records itself (not stopped, seen
     * within three heartbeats).
     */
    @JsonPropertyOrder({"name", "alive", "started_on", "seen_on", "stopped_on", "workers", "workers_busy",
            "workers_idle", "chunks_last_minute"})
    public record InstanceView(String name, boolean alive, @JsonProperty("started_on") Instant startedOn,
            @JsonProperty("seen_on") Instant seenOn, @JsonProperty("stopped_on") Instant stoppedOn, int workers,
            @JsonProperty("workers_busy") int workersBusy, @JsonProperty("chunks_last_minute") int chunksLastMinute) {

        @JsonProperty("workers_idle")
        public int workersIdle() {
            return alive ? workers - workersBusy : 0;
        }
    }

    /**
     * Records this instance's heartbeat. A heartbeat of the run that recorded its stop, come after the stop
     * (it began just before shutdown), leaves the stop; a new run under the same name clears it.
     */
    void beat(String name, Instant started, int workers, int busy, int chunksLastMinute) throws SQLException {
        sql.update("""
                INSERT INTO instance (name, started_at, seen_at, workers, workers_busy, chunks_last_minute)
                VALUES (?, ?, now(), ?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET seen_at = now(), started_at = EXCLUDED.started_at,
                       stopped_at = CASE WHEN instance.started_at = EXCLUDED.started_at THEN instance.stopped_at END,
                       workers = EXCLUDED.workers, workers_busy = EXCLUDED.workers_busy,
                       chunks_last_minute = EXCLUDED.chunks_last_minute""",
                name, Timestamp.from(started), workers, busy, chunksLastMinute);
    }

    /** Records that this instance stopped cleanly: it is shown gone at once. */
    void stopped(String name) throws SQLException {
        sql.update("UPDATE instance SET stopped_at = now(), workers_busy = 0, chunks_last_minute = 0 WHERE name = ?",
                name);
    }

    /** Drops the rows of instances not seen for {@code age}. */
    int forget(Duration age) throws SQLException {
        return sql.update("DELETE FROM instance WHERE seen_at < now() - make_interval(secs => ?)",
                age.toMillis() / 1000.0);
    }

    /** Every instance recorded, alive first, then by start; alive means seen within {@code aliveFor}. */
    public List<InstanceView> list(Duration aliveFor) throws SQLException {
        return sql.list("""
                SELECT name, stopped_at IS NULL AND seen_at > now() - make_interval(secs => ?) AS alive,
                       started_at, seen_at, stopped_at, workers, workers_busy, chunks_last_minute
                  FROM instance
                 ORDER BY alive DESC, started_at, name""", rs -> {
            Timestamp stopped = rs.getTimestamp(5);
            boolean alive = rs.getBoolean(2);
            return new InstanceView(rs.getString(1), alive, rs.getTimestamp(3).toInstant(),
                    rs.getTimestamp(4).toInstant(), stopped == null ? null : stopped.toInstant(),
                    rs.getInt(6), alive ? rs.getInt(7) : 0, alive ? rs.getInt(8) : 0);
        }, aliveFor.toMillis() / 1000.0);
    }
}
