package dev.bulklinks.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulklinks.api.ApiError;
import dev.bulklinks.database.TextArrays;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.LinkedHashMap;

/**
 * Every SQL statement on {@code job} and {@code job_chunk}. Methods run in the caller's
 * transaction; state changes are guarded ({@code WHERE status = expected}), and a guard that
 * matches nothing means another worker or caller got there first, which is normal.
 */
@ApplicationScoped
public class JobRepository {

    /**
     * The chunk number of a job's final pass, a row with no items: after every other chunk, it settles
     * the items that waited for another chunk ({@link ItemOutcome.Deferred}).
     */
    public static final int FINAL_PASS = Integer.MAX_VALUE;

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;
    private final Event<JobChanged> changed;

    JobRepository(AgroalDataSource dataSource, ObjectMapper json, Event<JobChanged> changed) {
        this.dataSource = dataSource;
        this.json = json;
        this.changed = changed;
    }

    /** A chunk leased to a worker: the guard for every later change to it. */
    public record Claim(UUID job, int chunkNo, int attempt, String owner) {
    }

    /**
     * Who submitted a job: the user's name (recorded as the author of the links it writes), the API
     * key used, and the link types the user could create and delete links of in the project then (null:
     * every type).
     */
    public record Submitter(String name, UUID apiKey, Set<String> linkTypes) {

        /** Whether the submitter may create and delete links of {@code linkType}: its allow-list holds it. */
        public boolean mayUse(String linkType) {
            return linkTypes == null || linkTypes.contains(linkType);
        }
    }

    /** What a worker needs to run a chunk; {@code items} is the stored JSON array. */
    public record ChunkWork(UUID job, int chunkNo, int firstIndex, int itemCount, String project, JobKind kind,
            JsonNode options, boolean atomic, Submitter submitter, String items, Long positionBase) {

        /** The items, read with {@code reader} (a reader for a list of the job's item type). */
        public <T> List<T> items(ObjectReader reader) {
            try {
                return reader.readValue(items);
            } catch (IOException e) {
                throw new IllegalStateException("stored items of job " + job + " are not readable", e);
            }
        }
    }

    /** One page of per-item results. */
    public record ResultsPage(int total, List<ObjectNode> items) {
    }

    // ---- intake -------------------------------------------------------------------------------

    /** Inserts a queued job with no items yet; answers its sequence number. */
    public long insert(UUID token, String project, JobKind kind, Submitter submitter) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO job (token, project, kind, submitted_by, api_key, link_types)
                        VALUES (?, ?, ?, ?, ?, ?) RETURNING seq""")) {
            ps.setObject(1, token);
            ps.setString(2, project);
            ps.setString(3, kind.wireName());
            ps.setString(4, submitter.name());
            ps.setObject(5, submitter.apiKey());
            ps.setArray(6, TextArrays.of(c, submitter.linkTypes()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Copies the chunk rows spooled by a {@link ChunkWriter} into the job's chunks, on the
     * transaction's connection; answers the number of chunks.
     */
    public int copyChunks(UUID token, long jobSeq, int chunkSize, InputStream rows) throws SQLException, IOException {
        try (Connection c = dataSource.getConnection()) {
            return ChunkWriter.copy(c, token, jobSeq, chunkSize, rows);
        }
    }

    /** Records the item count and options once every item is stored: the job is now queued for good. */
    public JobView submitted(UUID token, int total, JsonNode options, boolean atomic) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        UPDATE job SET total = ?, remaining = ?, options = ?::jsonb, atomic = ?,
                                       updated_at = clock_timestamp(),
                                       position_base = CASE WHEN kind = 'bulk_upsert_entities'
                                           THEN setval('entity_position_seq', nextval('entity_position_seq') + ?) - ?
                                       END
                         WHERE token = ?""" + " RETURNING " + JOB_COLUMNS)) {
            ps.setInt(1, total);
            ps.setInt(2, total);
            ps.setString(3, options.toString());
            ps.setBoolean(4, atomic);
            ps.setLong(5, total);
            ps.setLong(6, total);
            ps.setObject(7, token);
            JobView job = single(ps);
            changed.fire(new JobChanged(job, JobChanged.Change.CREATED));
            return job;
        }
    }

    private JobView single(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return view(rs);
        }
    }

    // ---- reads ---------------------------------------------------------------------------------

    private static final String JOB_COLUMNS = """
            token, project, kind, status, total, remaining, succeeded, failed, options::text, error::text,
            created_at, updated_at, started_at, finished_at, seq, submitted_by""";

    public Optional<JobView> find(String project, UUID token) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT " + JOB_COLUMNS + " FROM job WHERE project = ? AND token = ?")) {
            ps.setString(1, project);
            ps.setObject(2, token);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(view(rs)) : Optional.empty();
            }
        }
    }

    /** Jobs of a project, newest first, before the job numbered {@code beforeSeq} when given. */
    public List<JobView> list(String project, JobStatus status, Long beforeSeq, int limit) throws SQLException {
        String sql = "SELECT " + JOB_COLUMNS + " FROM job WHERE project = ?"
                + (status == null ? "" : " AND status = ?")
                + (beforeSeq == null ? "" : " AND seq < ?")
                + " ORDER BY seq DESC LIMIT ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, project);
            if (status != null) {
                ps.setString(i++, status.wireName());
            }
            if (beforeSeq != null) {
                ps.setLong(i++, beforeSeq);
            }
            ps.setInt(i, limit);
            List<JobView> jobs = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    jobs.add(view(rs));
                }
            }
            return jobs;
        }
    }

    /** Jobs of a project by status (only statuses that have some). */
    public Map<String, Long> countByStatus(String project) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT status, count(*) FROM job WHERE project = ? GROUP BY status")) {
            ps.setString(1, project);
            Map<String, Long> counts = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
            return counts;
        }
    }

    /** One point of {@link #activity}: items processed in the step that ends at {@code at}, and waiting then. */
    public record ActivityPoint(Instant at, long processed, long waiting) {
    }

    /**
     * The project's last {@code points} steps of {@code step} each, ending now: items processed
     * (succeeded or failed) in each step, and items waiting (in chunks queued or running) at its end.
     * Reads only the chunks finished in the window and those still waiting, whatever the number of
     * jobs; each chunk adds its items to the waiting line when its job was submitted and takes them
     * off when it finished (or was cancelled).
     */
    public List<ActivityPoint> activity(String project, Duration step, int points) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        WITH finished AS MATERIALIZED (
                            SELECT (SELECT j.created_at FROM job j WHERE j.token = c.job_token AND j.project = ?)
                                       AS queued_at, c.finished_at, c.item_count, c.succeeded + c.failed AS done
                              FROM job_chunk c WHERE c.finished_at > now() - ? * interval '1 millisecond'),
                        chunk AS (
                            SELECT * FROM finished WHERE queued_at IS NOT NULL
                            UNION ALL
                            SELECT j.created_at, NULL, c.item_count, 0
                              FROM job_chunk c JOIN job j ON j.token = c.job_token
                             WHERE j.project = ? AND c.state = 'queued'
                            UNION ALL
                            SELECT j.created_at, NULL, c.item_count, 0
                              FROM job_chunk c JOIN job j ON j.token = c.job_token
                             WHERE j.project = ? AND c.state = 'running'),
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
                         GROUP BY n, w.start, w.step ORDER BY n""")) {
            // The bounds are written out in each condition (not read from w) so that the planner
            // sees them and walks the indexes: finished_at, and the claim's partial ones by state.
            // A finished chunk finds its job by a lookup of its own (the subquery in finished): as a
            // join, the planner reads every job of the project to hash them, 100,000 for 2,000 chunks.
            ps.setString(1, project);
            ps.setLong(2, step.toMillis() * points);
            ps.setString(3, project);
            ps.setString(4, project);
            ps.setLong(5, step.toMillis() * (points - 1));
            ps.setLong(6, step.toMillis());
            ps.setInt(7, points);
            List<ActivityPoint> activity = new ArrayList<>();
            long waiting = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    waiting += rs.getLong(3);
                    activity.add(new ActivityPoint(rs.getTimestamp(1).toInstant(), rs.getLong(2), waiting));
                }
            }
            return activity;
        }
    }

    private JobView view(ResultSet rs) throws SQLException {
        return new JobView(rs.getObject(1, UUID.class), rs.getString(2), JobKind.fromWire(rs.getString(3)),
                JobStatus.fromWire(rs.getString(4)),
                new JobView.Info(rs.getInt(5), rs.getInt(6), rs.getInt(7), rs.getInt(8)),
                parse(rs.getString(9)), instant(rs, 11), instant(rs, 12), instant(rs, 13), instant(rs, 14),
                parse(rs.getString(10)), rs.getLong(15), rs.getString(16));
    }

    /**
     * Results of items {@code offset} to {@code offset + limit - 1} in input order; items whose chunk
     * has not run yet are marked pending.
     */
    public ResultsPage resultsByIndex(JobView job, int offset, int limit) throws SQLException {
        List<ObjectNode> items = new ArrayList<>();
        int end = (int) Math.min((long) offset + limit, job.info().total());
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        SELECT first_index, item_count, outcomes::text, state FROM job_chunk
                         WHERE job_token = ? AND first_index < ? AND first_index + item_count > ?
                         ORDER BY chunk_no""")) {
            ps.setObject(1, job.token());
            ps.setInt(2, end);
            ps.setInt(3, offset);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int first = rs.getInt(1);
                    int count = rs.getInt(2);
                    JsonNode outcomes = parse(rs.getString(3));
                    boolean cancelled = rs.getString(4).equals("cancelled");
                    for (int i = Math.max(offset, first); i < Math.min(end, first + count); i++) {
                        items.add(outcomes == null
                                ? OutcomeCodec.notRun(i, cancelled)
                                : OutcomeCodec.withIndex(i, outcomes.get(i - first), job.status() == JobStatus.CANCELLED));
                    }
                }
            }
        }
        return new ResultsPage(job.info().total(), items);
    }

    /**
     * The {@code offset}-th to {@code offset + limit - 1}-th result among the succeeded (or failed)
     * items, in input order. Per-chunk counts let the query skip to the chunks that hold the page.
     */
    public ResultsPage resultsByOutcome(JobView job, boolean success, int offset, int limit) throws SQLException {
        List<ObjectNode> items = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        SELECT first_index, outcomes::text, before FROM (
                            SELECT chunk_no, first_index, outcomes, n, sum(n) OVER (ORDER BY chunk_no) - n AS before
                              FROM (SELECT chunk_no, first_index, outcomes,
                                           CASE WHEN ? THEN succeeded ELSE failed END AS n
                                      FROM job_chunk WHERE job_token = ? AND state = 'done') counted
                        ) ranked
                         WHERE n > 0 AND before + n > ? AND before < ?
                         ORDER BY chunk_no""")) {
            ps.setBoolean(1, success);
            ps.setObject(2, job.token());
            ps.setInt(3, offset);
            ps.setLong(4, (long) offset + limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int first = rs.getInt(1);
                    ArrayNode outcomes = (ArrayNode) parse(rs.getString(2));
                    long rank = rs.getLong(3);
                    for (int i = 0; i < outcomes.size() && items.size() < limit; i++) {
                        JsonNode outcome = outcomes.get(i);
                        if (!OutcomeCodec.isDeferred(outcome) && outcome.get("success").booleanValue() == success
                                && rank++ >= offset) {
                            items.add(OutcomeCodec.withIndex(first + i, outcome, false));
                        }
                    }
                }
            }
        }
        return new ResultsPage(success ? job.info().succeeded() : job.info().failed(), items);
    }

    /**
     * Up to {@code limit} chunks of a job after chunk {@code afterChunk}, in chunk (so input) order, with
     * their stored outcomes as text: one page of a results stream. A short statement on the primary key;
     * the stream holds no connection between pages.
     */
    public List<ChunkResults> resultChunks(UUID job, int afterChunk, int limit) throws SQLException {
        List<ChunkResults> chunks = new ArrayList<>(limit);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        SELECT chunk_no, first_index, item_count, outcomes::text, state FROM job_chunk
                         WHERE job_token = ? AND chunk_no > ? ORDER BY chunk_no LIMIT ?""")) {
            ps.setObject(1, job);
            ps.setInt(2, afterChunk);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    chunks.add(new ChunkResults(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getString(4),
                            rs.getString(5).equals("cancelled")));
                }
            }
        }
        return chunks;
    }

    /** The results of one chunk, in the published form, in input order, to {@code sink}. */
    public void publish(JobView job, ChunkResults chunk, Consumer<ObjectNode> sink) {
        JsonNode outcomes = parse(chunk.outcomes());
        for (int i = 0; i < chunk.itemCount(); i++) {
            int index = chunk.firstIndex() + i;
            sink.accept(outcomes == null
                    ? OutcomeCodec.notRun(index, chunk.cancelled())
                    : OutcomeCodec.withIndex(index, outcomes.get(i), job.status() == JobStatus.CANCELLED));
        }
    }

    // ---- workers -------------------------------------------------------------------------------

    /**
     * Leases the next chunk to {@code owner}. The CTE picks and locks one row with SKIP LOCKED, so
     * concurrent workers never wait for each other nor take the same chunk; the UPDATE then leases
     * it. Chunk number comes first in the order so that jobs take turns. A chunk after the first of
     * an atomic job is never claimed by itself: the worker that holds chunk 0 runs them all. A job's
     * {@link #FINAL_PASS} waits until no other chunk of its job is queued or running.
     */
    public Optional<Claim> claim(String owner, Duration lease) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        WITH next AS (
                            SELECT c.job_token, c.chunk_no
                              FROM job_chunk c
                             WHERE c.state = 'queued'
                               AND c.run_after <= now()
                               AND (c.chunk_no = 0 OR NOT (SELECT j.atomic FROM job j WHERE j.token = c.job_token))
                               AND (c.chunk_no <> ? OR NOT EXISTS (
                                       SELECT 1 FROM job_chunk o
                                        WHERE o.job_token = c.job_token AND o.chunk_no <> c.chunk_no
                                          AND o.state IN ('queued', 'running')))
                             ORDER BY c.chunk_no, c.job_seq
                             LIMIT 1
                               FOR UPDATE OF c SKIP LOCKED
                        )
                        UPDATE job_chunk c
                           SET state = 'running', attempt = c.attempt + 1, lease_owner = ?,
                               lease_until = clock_timestamp() + ? * interval '1 millisecond'
                          FROM next
                         WHERE c.job_token = next.job_token AND c.chunk_no = next.chunk_no
                        RETURNING c.job_token, c.chunk_no, c.attempt""")) {
            ps.setInt(1, FINAL_PASS);
            ps.setString(2, owner);
            ps.setLong(3, lease.toMillis());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Claim(rs.getObject(1, UUID.class), rs.getInt(2), rs.getInt(3), owner))
                        : Optional.empty();
            }
        }
    }

    /** The items of a chunk and what the worker must know of its job. */
    public ChunkWork work(UUID job, int chunkNo) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        SELECT c.first_index, c.item_count, j.project, j.kind, j.options::text, j.atomic,
                               j.submitted_by, c.items::text, j.position_base, j.api_key, j.link_types
                          FROM job_chunk c JOIN job j ON j.token = c.job_token
                         WHERE c.job_token = ? AND c.chunk_no = ?""")) {
            ps.setObject(1, job);
            ps.setInt(2, chunkNo);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("chunk " + chunkNo + " of job " + job + " is gone");
                }
                return new ChunkWork(job, chunkNo, rs.getInt(1), rs.getInt(2), rs.getString(3),
                        JobKind.fromWire(rs.getString(4)), parse(rs.getString(5)), rs.getBoolean(6),
                        new Submitter(rs.getString(7), rs.getObject(10, UUID.class), TextArrays.toSet(rs.getArray(11))),
                        rs.getString(8), (Long) rs.getObject(9));
            }
        }
    }

    /** Number of chunks of a job. */
    public int chunkCount(UUID job) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM job_chunk WHERE job_token = ?")) {
            ps.setObject(1, job);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * Marks a leased chunk done with its outcomes. False when the lease was lost (expired and handed
     * to another worker): the caller must roll back, so the chunk is applied once.
     */
    public boolean complete(Claim claim, List<ItemOutcome> outcomes) throws SQLException {
        return storeOutcomes(claim.job(), claim.chunkNo(), outcomes,
                "state = 'running' AND lease_owner = ? AND attempt = ?", claim.owner(), claim.attempt());
    }

    /** Marks a chunk of an atomic job done; the worker holding chunk 0 runs them all. */
    public boolean completeFollower(UUID job, int chunkNo, List<ItemOutcome> outcomes) throws SQLException {
        return storeOutcomes(job, chunkNo, outcomes, "state = 'queued'", null, 0);
    }

    private boolean storeOutcomes(UUID job, int chunkNo, List<ItemOutcome> outcomes, String guard,
            String owner, int attempt) throws SQLException {
        int succeeded = (int) outcomes.stream().filter(ItemOutcome::success).count();
        int deferred = (int) outcomes.stream().filter(ItemOutcome.Deferred.class::isInstance).count();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        UPDATE job_chunk
                           SET state = 'done', outcomes = ?::json, succeeded = ?, failed = ?, deferred = ?,
                               lease_owner = NULL,
                               lease_until = NULL, last_error = NULL, finished_at = clock_timestamp()
                         WHERE job_token = ? AND chunk_no = ?""" + " AND " + guard)) {
            ps.setString(1, OutcomeCodec.toArray(outcomes).toString());
            ps.setInt(2, succeeded);
            ps.setInt(3, outcomes.size() - succeeded - deferred);
            ps.setInt(4, deferred);
            ps.setObject(5, job);
            ps.setInt(6, chunkNo);
            if (owner != null) {
                ps.setString(7, owner);
                ps.setInt(8, attempt);
            }
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Moves the job's counters by a committed chunk; answers the job as it is now. The caller
     * reports the change, as progress or, when nothing remains, with the job's final status.
     */
    public JobView count(UUID job, int succeeded, int failed) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        UPDATE job SET remaining = remaining - ?, succeeded = succeeded + ?, failed = failed + ?,
                                       updated_at = clock_timestamp()
                         WHERE token = ?""" + " RETURNING " + JOB_COLUMNS)) {
            ps.setInt(1, succeeded + failed);
            ps.setInt(2, succeeded);
            ps.setInt(3, failed);
            ps.setObject(4, job);
            return single(ps);
        }
    }

    /**
     * Moves a job from {@code from} to {@code to}, only if it is still in {@code from}. Answers false
     * when another worker or a caller moved it first.
     */
    public boolean transition(UUID job, JobStatus from, JobStatus to, ApiError error) throws SQLException {
        if (!from.canMoveTo(to)) {
            throw new IllegalArgumentException("a job cannot go from " + from.wireName() + " to " + to.wireName());
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        UPDATE job SET status = ?, updated_at = clock_timestamp(),
                               started_at = CASE WHEN ? THEN clock_timestamp() ELSE started_at END,
                               finished_at = CASE WHEN ? THEN clock_timestamp() ELSE finished_at END,
                               error = ?::jsonb
                         WHERE token = ? AND status = ?""" + " RETURNING " + JOB_COLUMNS)) {
            ps.setString(1, to.wireName());
            ps.setBoolean(2, to == JobStatus.PROCESSING);
            ps.setBoolean(3, to.isFinal());
            ps.setString(4, error == null ? null : json.writeValueAsString(error));
            ps.setObject(5, job);
            ps.setString(6, from.wireName());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                changed.fire(new JobChanged(view(rs), JobChanged.Change.STATUS));
                return true;
            }
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Hands a chunk back to the queue after a failure, to be tried again after {@code backoff}.
     * False when the lease was lost meanwhile.
     */
    public boolean release(Claim claim, String error, Duration backoff) throws SQLException {
        return requeue(claim, error, backoff, true);
    }

    /** Hands a chunk back to wait for {@code delay}, without counting its attempt. False when the lease was lost. */
    public boolean postpone(Claim claim, Duration delay) throws SQLException {
        return requeue(claim, null, delay, false);
    }

    /** Puts a leased chunk back in the queue after {@code delay}; an attempt not counted is given back. */
    private boolean requeue(Claim claim, String error, Duration delay, boolean attemptCounts) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        UPDATE job_chunk
                           SET state = 'queued', lease_owner = NULL, lease_until = NULL,
                               last_error = COALESCE(?, last_error),
                               attempt = attempt - CASE WHEN ? THEN 0 ELSE 1 END,
                               run_after = clock_timestamp() + ? * interval '1 millisecond'
                         WHERE job_token = ? AND chunk_no = ? AND state = 'running' AND lease_owner = ? AND attempt = ?""")) {
            ps.setString(1, error);
            ps.setBoolean(2, attemptCounts);
            ps.setLong(3, delay.toMillis());
            ps.setObject(4, claim.job());
            ps.setInt(5, claim.chunkNo());
            ps.setString(6, claim.owner());
            ps.setInt(7, claim.attempt());
            return ps.executeUpdate() == 1;
        }
    }

    /** Extends the lease of a chunk still running under {@code claim}. */
    public void renew(Claim claim, Duration lease) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        UPDATE job_chunk SET lease_until = clock_timestamp() + ? * interval '1 millisecond'
                         WHERE job_token = ? AND chunk_no = ? AND state = 'running' AND lease_owner = ? AND attempt = ?""")) {
            ps.setLong(1, lease.toMillis());
            ps.setObject(2, claim.job());
            ps.setInt(3, claim.chunkNo());
            ps.setString(4, claim.owner());
            ps.setInt(5, claim.attempt());
            ps.executeUpdate();
        }
    }

    /**
     * Stops every chunk of {@code job} that has not committed: queued ones are never claimed, and a
     * running one fails its lease guard and rolls back. Rows are locked in the order a worker of an
     * atomic job takes them (chunks 1..n, then 0), so the two never deadlock. Answers how many.
     */
    public int cancelChunks(UUID job) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        UPDATE job_chunk c
                           SET state = 'cancelled', lease_owner = NULL, lease_until = NULL,
                               finished_at = clock_timestamp()
                          FROM (SELECT chunk_no FROM job_chunk
                                 WHERE job_token = ? AND state IN ('queued', 'running')
                                 ORDER BY chunk_no = 0, chunk_no
                                   FOR UPDATE) stopped
                         WHERE c.job_token = ? AND c.chunk_no = stopped.chunk_no""")) {
            ps.setObject(1, job);
            ps.setObject(2, job);
            return ps.executeUpdate();
        }
    }

    /**
     * Gives a chunk {@code count} items instead of the one it was stored with, and its job as many
     * more: a job whose items are known only when it runs (a Unicat selection) grows to their number.
     */
    public void resize(UUID job, int chunkNo, int count) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement chunk = c.prepareStatement(
                        "UPDATE job_chunk SET item_count = ? WHERE job_token = ? AND chunk_no = ? AND item_count = 1");
                PreparedStatement counters = c.prepareStatement(
                        "UPDATE job SET total = total + ?, remaining = remaining + ? WHERE token = ?")) {
            chunk.setInt(1, count);
            chunk.setObject(2, job);
            chunk.setInt(3, chunkNo);
            if (chunk.executeUpdate() != 1) {
                throw new IllegalStateException("chunk " + chunkNo + " of job " + job + " was resized already");
            }
            counters.setInt(1, count - 1);
            counters.setInt(2, count - 1);
            counters.setObject(3, job);
            counters.executeUpdate();
        }
    }

    // ---- the final pass of deferred items ------------------------------------------------------------

    /**
     * Queues the final pass of {@code job}, once: a chunk row with no items of its own that settles
     * the items its chunks deferred ({@link ItemOutcome.Deferred}) once every other chunk has run.
     */
    public void addFinalPass(UUID job) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO job_chunk (job_token, chunk_no, job_seq, first_index, item_count, items)
                        SELECT token, ?, seq, 0, 0, '[]' FROM job WHERE token = ?
                        ON CONFLICT DO NOTHING""")) {
            ps.setInt(1, FINAL_PASS);
            ps.setObject(2, job);
            ps.executeUpdate();
        }
    }

    /** The chunks of {@code job} holding deferred items, in order. */
    public List<Integer> chunksWithDeferred(UUID job) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT chunk_no FROM job_chunk WHERE job_token = ? AND deferred > 0 ORDER BY chunk_no")) {
            ps.setObject(1, job);
            List<Integer> chunks = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    chunks.add(rs.getInt(1));
                }
            }
            return chunks;
        }
    }

    /** The positions, within chunk {@code chunkNo}, of its deferred items. */
    public List<Integer> deferredItems(UUID job, int chunkNo) throws SQLException {
        ArrayNode outcomes = storedOutcomes(job, chunkNo);
        List<Integer> deferred = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            if (OutcomeCodec.isDeferred(outcomes.get(i))) {
                deferred.add(i);
            }
        }
        return deferred;
    }

    /**
     * Replaces the outcomes of deferred items of a finished chunk, keyed by their position in the
     * chunk, and moves the chunk's counts; an outcome still {@link ItemOutcome.Deferred} stays so.
     * The job's counters are the caller's to move.
     */
    public void settle(UUID job, int chunkNo, Map<Integer, ItemOutcome> settled) throws SQLException {
        ArrayNode outcomes = storedOutcomes(job, chunkNo);
        int succeeded = 0;
        int failed = 0;
        for (Map.Entry<Integer, ItemOutcome> e : settled.entrySet()) {
            ItemOutcome outcome = e.getValue();
            if (!OutcomeCodec.isDeferred(outcomes.get(e.getKey())) || outcome instanceof ItemOutcome.Deferred) {
                continue;
            }
            outcomes.set(e.getKey(), OutcomeCodec.toNode(outcome));
            if (outcome.success()) {
                succeeded++;
            } else {
                failed++;
            }
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        UPDATE job_chunk SET outcomes = ?::json, succeeded = succeeded + ?, failed = failed + ?,
                                             deferred = deferred - ?
                         WHERE job_token = ? AND chunk_no = ?""")) {
            ps.setString(1, outcomes.toString());
            ps.setInt(2, succeeded);
            ps.setInt(3, failed);
            ps.setInt(4, succeeded + failed);
            ps.setObject(5, job);
            ps.setInt(6, chunkNo);
            ps.executeUpdate();
        }
    }

    private ArrayNode storedOutcomes(UUID job, int chunkNo) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT outcomes::text FROM job_chunk WHERE job_token = ? AND chunk_no = ? FOR UPDATE")) {
            ps.setObject(1, job);
            ps.setInt(2, chunkNo);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getString(1) == null) {
                    throw new IllegalStateException("chunk " + chunkNo + " of job " + job + " has no outcomes");
                }
                return (ArrayNode) parse(rs.getString(1));
            }
        }
    }

    /** How many chunks of {@code job} before {@code chunkNo} have not finished. */
    public int unfinishedBefore(UUID job, int chunkNo) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        SELECT count(*) FROM job_chunk
                         WHERE job_token = ? AND chunk_no < ? AND state IN ('queued', 'running')""")) {
            ps.setObject(1, job);
            ps.setInt(2, chunkNo);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Deletes up to {@code limit} jobs finished more than {@code age} ago; their chunks go with them. */
    public int deleteFinished(Duration age, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        DELETE FROM job WHERE token IN (
                            SELECT token FROM job
                             WHERE finished_at < clock_timestamp() - ? * interval '1 millisecond'
                             LIMIT ?)""")) {
            ps.setLong(1, age.toMillis());
            ps.setInt(2, limit);
            return ps.executeUpdate();
        }
    }

    /** Chunks waiting to be claimed, of every job (the partial index on queued chunks answers it). */
    public long queuedChunks() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM job_chunk WHERE state = 'queued'");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Hands back every chunk whose lease ran out; answers how many. */
    public int rescueExpired() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        UPDATE job_chunk
                           SET state = 'queued', lease_owner = NULL, lease_until = NULL,
                               last_error = 'lease expired: its worker stopped or stalled'
                         WHERE (job_token, chunk_no) IN (
                                SELECT job_token, chunk_no FROM job_chunk
                                 WHERE state = 'running' AND lease_until < clock_timestamp()
                                   FOR UPDATE SKIP LOCKED)""")) {
            return ps.executeUpdate();
        }
    }

    private JsonNode parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
