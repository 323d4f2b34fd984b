package dev.bulklinks.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.bulklinks.database.JsonColumns;
import dev.bulklinks.database.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The statements of a job's final pass ({@link Claim#FINAL_PASS}): the chunk row that waits for
 * every other chunk, and the deferred items ({@link ItemOutcome.Deferred}) it settles.
 */
@ApplicationScoped
public class FinalPassRepository {

    private final Sql sql;
    private final ObjectMapper json;

    FinalPassRepository(Sql sql, ObjectMapper json) {
        this.sql = sql;
        this.json = json;
    }

    /**
     * Queues the final pass of {@code job}, once: a chunk row with no items of its own that settles
     * the items its chunks deferred once every other chunk has run.
     */
    public void addFinalPass(UUID job) throws SQLException {
        sql.update("""
                INSERT INTO job_chunk (job_token, chunk_no, job_seq, first_index, item_count, items)
                SELECT token, ?, seq, 0, 0, '[]' FROM job WHERE token = ?
                ON CONFLICT DO NOTHING""", Claim.FINAL_PASS, job);
    }

    /** The chunks of {@code job} holding deferred items, in order. */
    public List<Integer> chunksWithDeferred(UUID job) throws SQLException {
        return sql.list("SELECT chunk_no FROM job_chunk WHERE job_token = ? AND deferred > 0 ORDER BY chunk_no",
                rs -> rs.getInt(1), job);
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
        sql.update("""
                UPDATE job_chunk SET outcomes = ?::json, succeeded = succeeded + ?, failed = failed + ?,
                                     deferred = deferred - ?
                 WHERE job_token = ? AND chunk_no = ?""",
                outcomes.toString(), succeeded, failed, succeeded + failed, job, chunkNo);
    }

    private ArrayNode storedOutcomes(UUID job, int chunkNo) throws SQLException {
        String text = sql.first("SELECT outcomes::text FROM job_chunk WHERE job_token = ? AND chunk_no = ? FOR UPDATE",
                rs -> rs.getString(1), job, chunkNo).orElse(null);
        if (text == null) {
            throw new IllegalStateException("chunk " + chunkNo + " of job " + job + " has no outcomes");
        }
        return (ArrayNode) JsonColumns.tree(json, text);
    }
}
