package dev.bulklinks.job;

import static dev.bulklinks.job.ChunkState.QUEUED;
import static dev.bulklinks.job.ChunkState.RUNNING;

import dev.bulklinks.database.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The figures the dashboard and the metrics show: jobs by status, activity over time, the queue's length. */
@ApplicationScoped
public class JobStatistics {

    private final Sql sql;

    JobStatistics(Sql sql) {
        this.sql = sql;
    }

    /** Jobs of a project by status (only statuses that have some). */
    public Map<String, Long> countByStatus(String project) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        sql.list("SELECT status, count(*) FROM job WHERE project = ? GROUP BY status",
                rs -> counts.put(rs.getString(1), rs.getLong(2)), project);
        return counts;
    }

    /**
     * The project's last {@code points} steps of {@code step} each, ending now: items processed
     * (succeeded or failed) in each step, and items waiting (in chunks queued or running) at its end.
     * Reads only the chunks finished in the window and those still waiting, whatever the number of
     * jobs; each chunk adds its items to the waiting line when its job was submitted and takes them
     * off when it finished (or was cancelled).
     */
    public List<ActivityPoint> activity(String project, Duration step, int points) throws SQLException {
        // The bounds are written out in each condition (not read from w) so that the planner
        // sees them and walks the indexes: finished_at, and the claim's partial ones by state.
        // A finished chunk finds its job by a lookup of its own (the subquery in finished): as a
        // join, the planner reads every job of the project to hash them, 100,000 for 2,000 chunks.
        List<ActivityPoint> activity = new ArrayList<>();
        long[] waiting = {0};
        sql.list("""
                WITH finished AS MATERIALIZED (
                    SELECT (SELECT j.created_at FROM job j WHERE j.token = c.job_token AND j.project = ?)
                               AS queued_at, c.finished_at, c.item_count, c.succeeded + c.failed AS done
                      FROM job_chunk c WHERE c.finished_at > now() - ? * interval '1 millisecond'),
                chunk AS (
                    SELECT * FROM finished WHERE queued_at IS NOT NULL
                    UNION ALL
                    SELECT j.created_at, NULL, c.item_count, 0
                      FROM job_chunk c JOIN job j ON j.token = c.job_token
                     WHERE j.project = ? AND c.state = %s
                    UNION ALL
                    SELECT j.created_at, NULL, c.item_count, 0
                      FROM job_chunk c JOIN job j ON j.token = c.job_token
                     WHERE j.project = ? AND c.state = %s),
                w AS (SELECT now() - ? * interval '1 millisecond' AS start, ?::float8 / 1000 AS step),
                change AS (
                    SELECT greatest(0, ceil(extract(epoch FROM queued_at - w.start) / w.step))::int AS point,
                           item_count AS waiting, 0 AS done
                      FROM chunk, w
                    UNION ALL
                    SELECT greatest(0, ceil(extract(epoch FROM finished_at - w.start) / w.step))::int,
                           -item_count, done
                      FROM chunk, w WHERE finished_at IS NOT NULL)
                SELECT w.start + n * w.step * interval '1 second',
                       coalesce(sum(change.done), 0), coalesce(sum(change.waiting), 0)
                  FROM w CROSS JOIN generate_series(0, ? - 1) n LEFT JOIN change ON change.point = n
                 GROUP BY n, w.start, w.step ORDER BY n""".formatted(QUEUED.sql(), RUNNING.sql()), rs -> {
            waiting[0] += rs.getLong(3);
            activity.add(new ActivityPoint(rs.getTimestamp(1).toInstant(), rs.getLong(2), waiting[0]));
            return null;
        }, project, step.toMillis() * points, project, project, step.toMillis() * (points - 1), step.toMillis(),
                points);
        return activity;
    }

    /** Chunks waiting to be claimed, of every job (the partial index on queued chunks answers it). */
    public long queuedChunks() throws SQLException {
        return sql.one("SELECT count(*) FROM job_chunk WHERE state = " + QUEUED.sql(), rs -> rs.getLong(1));
    }
}
