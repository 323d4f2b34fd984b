package dev.bulklinks.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.api.ApiError;
import dev.bulklinks.database.JsonColumns;
import dev.bulklinks.database.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The statements on {@code job} rows: reading jobs, moving their status and counters, deleting old
 * ones. Methods run in the caller's transaction; a status change is guarded
 * ({@code WHERE status = expected}), and a guard that matches nothing means another worker or caller
 * got there first, which is normal.
 */
@ApplicationScoped
public class JobRepository {

    /** The columns {@link #view} reads, in its order. */
    static final String COLUMNS = """
            token, project, kind, status, total, remaining, succeeded, failed, options::text, error::text,
            created_at, updated_at, started_at, finished_at, seq, submitted_by""";

    private final Sql sql;
    private final ObjectMapper json;

    JobRepository(Sql sql, ObjectMapper json) {
        this.sql = sql;
        this.json = json;
    }

    public Optional<JobView> find(String project, UUID token) throws SQLException {
        return sql.first("SELECT " + COLUMNS + " FROM job WHERE project = ? AND token = ?", this::view, project, token);
    }

    /** Jobs of a project, newest first, before the job numbered {@code beforeSeq} when given. */
    public List<JobView> list(String project, JobFilter filter, Long beforeSeq, int limit) throws SQLException {
        List<Object> params = new ArrayList<>();
        params.add(project);
        if (filter.status() != null) {
            params.add(filter.status().wireName());
        }
        if (filter.kind() != null) {
            params.add(filter.kind().wireName());
        }
        if (filter.submitter() != null) {
            params.add(filter.submitter());
        }
        if (beforeSeq != null) {
            params.add(beforeSeq);
        }
        params.add(limit);
        // Each filter alone walks its index (job_by_project_status, _kind, _submitter: V19) newest first.
        return sql.list("SELECT " + COLUMNS + " FROM job WHERE project = ?"
                + (filter.status() == null ? "" : " AND status = ?")
                + (filter.kind() == null ? "" : " AND kind = ?")
                + (filter.submitter() == null ? "" : " AND submitted_by = ?")
                + (beforeSeq == null ? "" : " AND seq < ?")
                + " ORDER BY seq DESC LIMIT ?", this::view, params.toArray());
    }

    /** Which jobs a list shows: any of the three may be null (no filter). */
    public record JobFilter(JobStatus status, JobKind kind, String submitter) {
    }

    /**
     * Moves the job's counters by a committed chunk; answers the job as it is now. The caller
     * reports the change, as progress or, when nothing remains, with the job's final status.
     */
    public JobView count(UUID job, int succeeded, int failed) throws SQLException {
        return sql.one("""
                UPDATE job SET remaining = remaining - ?, succeeded = succeeded + ?, failed = failed + ?,
                               updated_at = clock_timestamp()
                 WHERE token = ?""" + " RETURNING " + COLUMNS, this::view, succeeded + failed, succeeded, failed, job);
    }

    /**
     * Moves a job from {@code from} to {@code to}, only if it is still in {@code from}; answers the job
     * as it is now, or nothing when another worker or a caller moved it first. Callers go through
     * {@link JobChanges#move}, which announces the change.
     */
    Optional<JobView> transition(UUID job, JobStatus from, JobStatus to, ApiError error) throws SQLException {
        if (!from.canMoveTo(to)) {
            throw new IllegalArgumentException("a job cannot go from " + from.wireName() + " to " + to.wireName());
        }
        return sql.first("""
                UPDATE job SET status = ?, updated_at = clock_timestamp(),
                       started_at = CASE WHEN ? THEN clock_timestamp() ELSE started_at END,
                       finished_at = CASE WHEN ? THEN clock_timestamp() ELSE finished_at END,
                       error = ?::jsonb
                 WHERE token = ? AND status = ?""" + " RETURNING " + COLUMNS, this::view,
                to.wireName(), to == JobStatus.PROCESSING, to.isFinal(), error == null ? null : write(error), job,
                from.wireName());
    }

    /**
     * Deletes up to {@code limit} jobs finished more than {@code age} ago; their chunks go with them (a
     * trigger, see V29).
     */
    public int deleteFinished(Duration age, int limit) throws SQLException {
        return sql.update("""
                DELETE FROM job WHERE token IN (
                    SELECT token FROM job
                     WHERE finished_at < clock_timestamp() - ? * interval '1 millisecond'
                     LIMIT ?)""", age.toMillis(), limit);
    }

    /** A row of {@link #COLUMNS} as a job. */
    JobView view(ResultSet rs) throws SQLException {
        return new JobView(rs.getObject(1, UUID.class), rs.getString(2), JobKind.fromWire(rs.getString(3)),
                JobStatus.fromWire(rs.getString(4)),
                new JobView.Info(rs.getInt(5), rs.getInt(6), rs.getInt(7), rs.getInt(8)),
                JsonColumns.tree(json, rs.getString(9)), instant(rs, 11), instant(rs, 12), instant(rs, 13), instant(rs, 14),
                JsonColumns.tree(json, rs.getString(10)), rs.getLong(15), rs.getString(16));
    }

    private String write(ApiError error) {
        try {
            return json.writeValueAsString(error);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
