package dev.bulklinks.job;

import static dev.bulklinks.job.ChunkState.CANCELLED;
import static dev.bulklinks.job.ChunkState.DONE;
import static dev.bulklinks.job.ChunkState.QUEUED;
import static dev.bulklinks.job.ChunkState.RUNNING;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.database.JsonColumns;
import dev.bulklinks.database.Sql;
import dev.bulklinks.database.TextArrays;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The queue of chunks as workers see it: claim, lease, hand back, store outcomes, cancel. Every
 * change to a claimed chunk is guarded by its {@link Claim} (state running, same owner, same
 * attempt): zero rows means the lease was lost, and the caller rolls back.
 */
@ApplicationScoped
public class ChunkQueue {

    /** The guard of every write to a claimed chunk: it is still running under the same lease. */
    private static final String LEASED = "state = " + RUNNING.sql() + " AND lease_owner = ? AND attempt = ?";

    private final Sql sql;
    private final ObjectMapper json;

    ChunkQueue(Sql sql, ObjectMapper json) {
        this.sql = sql;
        this.json = json;
    }

    /**
     * Leases the next chunk to {@code owner}. The CTE picks and locks one row with SKIP LOCKED, so
     * concurrent workers never wait for each other nor take the same chunk; the UPDATE then leases
     * it. Chunk number comes first in the order so that jobs take turns. A chunk after the first of
     * an atomic job is never claimed by itself: the worker that holds chunk 0 runs them all. A job's
     * {@link Claim#FINAL_PASS} waits until no other chunk of its job is queued or running. With
     * {@code maxJobItems}, only chunks of jobs of at most that many items are taken (a worker kept for
     * small jobs); null takes any.
     *
     * <p>The claim's transaction does not wait for its commit to reach the disk ({@code synchronous_commit}
     * off for it alone): a claim lost with a crash of the database only leaves its chunk queued (and its
     * job queued, if the claim made it processing; a poll may have seen that, the feed may not: the
     * sequencer's commit waits for the disk and so writes the claim's log first), and the run's own
     * commit, which does wait, writes the claim's log before its own. So a chunk costs one
     * wait for the disk, not two: under a large import's log, that wait is most of a small job's time.
     * The setting is made by the claim itself ({@code set_config} in its {@code RETURNING}, evaluated for
     * the row it leases): a {@code SET LOCAL} before it cost every claim a round trip of its own.
     */
    public Optional<Claim> claim(String owner, Duration lease, Integer maxJobItems) throws SQLException {
        return sql.first("""
                WITH next AS (
                    SELECT c.job_token, c.chunk_no
                      FROM job_chunk c
                     WHERE c.state = %1$s
                       AND c.run_after <= now()
                       AND (c.chunk_no = 0 OR NOT (SELECT j.atomic FROM job j WHERE j.token = c.job_token))
                       AND (?::int IS NULL OR (SELECT j.total FROM job j WHERE j.token = c.job_token) <= ?::int)
                       AND (c.chunk_no <> ? OR NOT EXISTS (
                               SELECT 1 FROM job_chunk o
                                WHERE o.job_token = c.job_token AND o.chunk_no <> c.chunk_no
                                  AND o.state IN (%1$s, %2$s)))
                     ORDER BY c.chunk_no, c.job_seq
                     LIMIT 1
                       FOR UPDATE OF c SKIP LOCKED
                )
                UPDATE job_chunk c
                   SET state = %2$s, attempt = c.attempt + 1, lease_owner = ?,
                       lease_until = clock_timestamp() + ? * interval '1 millisecond'
                  FROM next
                 WHERE c.job_token = next.job_token AND c.chunk_no = next.chunk_no
                RETURNING c.job_token, c.chunk_no, c.attempt, set_config('synchronous_commit', 'off', true)"""
                .formatted(QUEUED.sql(), RUNNING.sql()),
                rs -> new Claim(rs.getObject(1, UUID.class), rs.getInt(2), rs.getInt(3), owner),
                maxJobItems, maxJobItems, Claim.FINAL_PASS, owner, lease.toMillis());
    }

    /** The items of a chunk and what the worker must know of its job. */
    public ChunkWork work(UUID job, int chunkNo) throws SQLException {
        return sql.first("""
                SELECT c.first_index, c.item_count, j.project, j.kind, j.options::text, j.atomic,
                       j.submitted_by, c.items::text, j.position_base, j.api_key, j.link_types
                  FROM job_chunk c JOIN job j ON j.token = c.job_token
                 WHERE c.job_token = ? AND c.chunk_no = ?""",
                rs -> new ChunkWork(job, chunkNo, rs.getInt(1), rs.getInt(2), rs.getString(3),
                        JobKind.fromWire(rs.getString(4)), JsonColumns.tree(json, rs.getString(5)), rs.getBoolean(6),
                        new Submitter(rs.getString(7), rs.getObject(10, UUID.class), TextArrays.toSet(rs.getArray(11))),
                        rs.getString(8), (Long) rs.getObject(9)),
                job, chunkNo)
                .orElseThrow(() -> new IllegalStateException("chunk " + chunkNo + " of job " + job + " is gone"));
    }

    /** Number of chunks of a job. */
    public int chunkCount(UUID job) throws SQLException {
        return sql.one("SELECT count(*) FROM job_chunk WHERE job_token = ?", rs -> rs.getInt(1), job);
    }

    /**
     * Marks a leased chunk done with its outcomes. False when the lease was lost (expired and handed
     * to another worker): the caller must roll back, so the chunk is applied once.
     */
    public boolean complete(Claim claim, List<ItemOutcome> outcomes) throws SQLException {
        return storeOutcomes(claim.job(), claim.chunkNo(), outcomes, LEASED, claim.owner(), claim.attempt());
    }

    /** Marks a chunk of an atomic job done; the worker holding chunk 0 runs them all. */
    public boolean completeFollower(UUID job, int chunkNo, List<ItemOutcome> outcomes) throws SQLException {
        return storeOutcomes(job, chunkNo, outcomes, "state = " + QUEUED.sql());
    }

    private boolean storeOutcomes(UUID job, int chunkNo, List<ItemOutcome> outcomes, String guard,
            Object... guardParams) throws SQLException {
        int succeeded = (int) outcomes.stream().filter(ItemOutcome::success).count();
        int deferred = (int) outcomes.stream().filter(ItemOutcome.Deferred.class::isInstance).count();
        Object[] params = new Object[6 + guardParams.length];
        params[0] = OutcomeCodec.toArray(outcomes).toString();
        params[1] = succeeded;
        params[2] = outcomes.size() - succeeded - deferred;
        params[3] = deferred;
        params[4] = job;
        params[5] = chunkNo;
        System.arraycopy(guardParams, 0, params, 6, guardParams.length);
        return sql.update("""
                UPDATE job_chunk
                   SET state = %s, outcomes = ?::json, succeeded = ?, failed = ?, deferred = ?,
                       lease_owner = NULL,
                       lease_until = NULL, last_error = NULL, finished_at = clock_timestamp()
                 WHERE job_token = ? AND chunk_no = ?""".formatted(DONE.sql()) + " AND " + guard, params) == 1;
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
        return sql.update("""
                UPDATE job_chunk
                   SET state = %s, lease_owner = NULL, lease_until = NULL,
                       last_error = COALESCE(?, last_error),
                       attempt = attempt - CASE WHEN ? THEN 0 ELSE 1 END,
                       run_after = clock_timestamp() + ? * interval '1 millisecond'
                 WHERE job_token = ? AND chunk_no = ? AND %s""".formatted(QUEUED.sql(), LEASED),
                error, attemptCounts, delay.toMillis(), claim.job(), claim.chunkNo(), claim.owner(),
                claim.attempt()) == 1;
    }

    /** Extends the lease of a chunk still running under {@code claim}. */
    public void renew(Claim claim, Duration lease) throws SQLException {
        sql.update("""
                UPDATE job_chunk SET lease_until = clock_timestamp() + ? * interval '1 millisecond'
                 WHERE job_token = ? AND chunk_no = ? AND""" + " " + LEASED,
                lease.toMillis(), claim.job(), claim.chunkNo(), claim.owner(), claim.attempt());
    }

    /** Hands back every chunk whose lease ran out; answers how many. */
    public int rescueExpired() throws SQLException {
        return sql.update("""
                UPDATE job_chunk
                   SET state = %1$s, lease_owner = NULL, lease_until = NULL,
                       last_error = 'lease expired: its worker stopped or stalled'
                 WHERE (job_token, chunk_no) IN (
                        SELECT job_token, chunk_no FROM job_chunk
                         WHERE state = %2$s AND lease_until < clock_timestamp()
                           FOR UPDATE SKIP LOCKED)""".formatted(QUEUED.sql(), RUNNING.sql()));
    }

    /**
     * Stops every chunk of {@code job} that has not committed: queued ones are never claimed, and a
     * running one fails its lease guard and rolls back. Rows are locked in the order a worker of an
     * atomic job takes them (chunks 1..n, then 0), so the two never deadlock. Answers how many.
     */
    public int cancelChunks(UUID job) throws SQLException {
        return sql.update("""
                UPDATE job_chunk c
                   SET state = %s, lease_owner = NULL, lease_until = NULL,
                       finished_at = clock_timestamp()
                  FROM (SELECT chunk_no FROM job_chunk
                         WHERE job_token = ? AND state IN (%s, %s)
                         ORDER BY chunk_no = 0, chunk_no
                           FOR UPDATE) stopped
                 WHERE c.job_token = ? AND c.chunk_no = stopped.chunk_no"""
                .formatted(CANCELLED.sql(), QUEUED.sql(), RUNNING.sql()), job, job);
    }

    /**
     * Gives a chunk {@code count} items instead of the one it was stored with, and its job as many
     * more: a job whose items are known only when it runs (a Unicat selection) grows to their number.
     */
    public void resize(UUID job, int chunkNo, int count) throws SQLException {
        if (sql.update("UPDATE job_chunk SET item_count = ? WHERE job_token = ? AND chunk_no = ? AND item_count = 1",
                count, job, chunkNo) != 1) {
            throw new IllegalStateException("chunk " + chunkNo + " of job " + job + " was resized already");
        }
        sql.update("UPDATE job SET total = total + ?, remaining = remaining + ? WHERE token = ?",
                count - 1, count - 1, job);
    }

    /** How many chunks of {@code job} before {@code chunkNo} have not finished. */
    public int unfinishedBefore(UUID job, int chunkNo) throws SQLException {
        return sql.one("""
                SELECT count(*) FROM job_chunk
                 WHERE job_token = ? AND chunk_no < ? AND state IN (%s, %s)""".formatted(QUEUED.sql(), RUNNING.sql()),
                rs -> rs.getInt(1), job, chunkNo);
    }
}
