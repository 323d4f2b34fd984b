package dev.bulklinks.job;

import static dev.bulklinks.job.ChunkState.CANCELLED;
import static dev.bulklinks.job.ChunkState.DONE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulklinks.database.JsonColumns;
import dev.bulklinks.database.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/** Reads the per-item results of a job from its chunks' stored outcomes, as pages or as a stream. */
@ApplicationScoped
public class ResultsRepository {

    private final Sql sql;
    private final ObjectMapper json;

    ResultsRepository(Sql sql, ObjectMapper json) {
        this.sql = sql;
        this.json = json;
    }

    /**
     * Results of items {@code offset} to {@code offset + limit - 1} in input order; items whose chunk
     * has not run yet are marked pending.
     */
    public ResultsPage resultsByIndex(JobView job, int offset, int limit) throws SQLException {
        List<ObjectNode> items = new ArrayList<>();
        int end = (int) Math.min((long) offset + limit, job.info().total());
        sql.list("""
                SELECT first_index, item_count, outcomes::text, state, original_index FROM job_chunk
                 WHERE job_token = ? AND first_index < ? AND first_index + item_count > ?
                 ORDER BY chunk_no""", rs -> {
            int first = rs.getInt(1);
            int count = rs.getInt(2);
            JsonNode outcomes = JsonColumns.tree(json, rs.getString(3));
            boolean cancelled = rs.getString(4).equals(CANCELLED.wireName());
            int[] original = ints(rs.getArray(5));
            for (int i = Math.max(offset, first); i < Math.min(end, first + count); i++) {
                Integer originalIndex = original == null ? null : original[i - first];
                items.add(outcomes == null
                        ? OutcomeCodec.notRun(i, originalIndex, cancelled)
                        : OutcomeCodec.withIndex(i, originalIndex, outcomes.get(i - first),
                                job.status() == JobStatus.CANCELLED));
            }
            return null;
        }, job.token(), end, offset);
        return new ResultsPage(job.info().total(), items);
    }

    /**
     * The {@code offset}-th to {@code offset + limit - 1}-th result among the succeeded (or failed)
     * items, in input order. Per-chunk counts let the query skip to the chunks that hold the page.
     */
    public ResultsPage resultsByOutcome(JobView job, boolean success, int offset, int limit) throws SQLException {
        List<ObjectNode> items = new ArrayList<>();
        sql.list("""
                SELECT first_index, outcomes::text, before, original_index FROM (
                    SELECT chunk_no, first_index, outcomes, original_index, n,
                           sum(n) OVER (ORDER BY chunk_no) - n AS before
                      FROM (SELECT chunk_no, first_index, outcomes, original_index,
                                   CASE WHEN ? THEN succeeded ELSE failed END AS n
                              FROM job_chunk WHERE job_token = ? AND state = %s) counted
                ) ranked
                 WHERE n > 0 AND before + n > ? AND before < ?
                 ORDER BY chunk_no""".formatted(DONE.sql()), rs -> {
            int first = rs.getInt(1);
            ArrayNode outcomes = (ArrayNode) JsonColumns.tree(json, rs.getString(2));
            long rank = rs.getLong(3);
            int[] original = ints(rs.getArray(4));
            for (int i = 0; i < outcomes.size() && items.size() < limit; i++) {
                JsonNode outcome = outcomes.get(i);
                if (!OutcomeCodec.isDeferred(outcome) && outcome.get("success").booleanValue() == success
                        && rank++ >= offset) {
                    items.add(OutcomeCodec.withIndex(first + i, original == null ? null : original[i], outcome, false));
                }
            }
            return null;
        }, success, job.token(), offset, (long) offset + limit);
        return new ResultsPage(success ? job.info().succeeded() : job.info().failed(), items);
    }

    /**
     * Up to {@code limit} chunks of a job after chunk {@code afterChunk}, in chunk (so input) order, with
     * their stored outcomes as text: one page of a results stream. A short statement on the primary key;
     * the stream holds no connection between pages.
     */
    public List<ChunkResults> resultChunks(UUID job, int afterChunk, int limit) throws SQLException {
        return sql.list("""
                SELECT chunk_no, first_index, item_count, outcomes::text, state, original_index FROM job_chunk
                 WHERE job_token = ? AND chunk_no > ? ORDER BY chunk_no LIMIT ?""",
                rs -> new ChunkResults(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getString(4),
                        rs.getString(5).equals(CANCELLED.wireName()), ints(rs.getArray(6))),
                job, afterChunk, limit);
    }

    /**
     * Up to {@code limit} finished chunks of a job after chunk {@code afterChunk} that hold a failed item,
     * in chunk order, with their items and outcomes: one page of what a retry reads. Cancelled chunks
     * never ran, so they hold no failed item.
     */
    public List<FailedChunk> chunksWithFailures(UUID job, int afterChunk, int limit) throws SQLException {
        return sql.list("""
                SELECT chunk_no, first_index, items::text, outcomes::text FROM job_chunk
                 WHERE job_token = ? AND chunk_no > ? AND state = %s AND failed > 0
                 ORDER BY chunk_no LIMIT ?""".formatted(DONE.sql()),
                rs -> new FailedChunk(rs.getInt(1), rs.getInt(2), rs.getString(3), rs.getString(4)),
                job, afterChunk, limit);
    }

    /** As {@link #resultChunks}, with each chunk's items as submitted: one page of results.csv. */
    public List<ChunkResults> resultChunksWithItems(UUID job, int afterChunk, int limit) throws SQLException {
        return sql.list("""
                SELECT chunk_no, first_index, item_count, outcomes::text, state, original_index, items::text
                  FROM job_chunk
                 WHERE job_token = ? AND chunk_no > ? ORDER BY chunk_no LIMIT ?""",
                rs -> new ChunkResults(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getString(4),
                        rs.getString(5).equals(CANCELLED.wireName()), ints(rs.getArray(6)), rs.getString(7)),
                job, afterChunk, limit);
    }

    /** The items of one chunk as submitted, in input order. */
    public JsonNode items(ChunkResults chunk) {
        return JsonColumns.tree(json, chunk.items());
    }

    /** The results of one chunk, in the published form, in input order, to {@code sink}. */
    public void publish(JobView job, ChunkResults chunk, Consumer<ObjectNode> sink) {
        JsonNode outcomes = JsonColumns.tree(json, chunk.outcomes());
        for (int i = 0; i < chunk.itemCount(); i++) {
            int index = chunk.firstIndex() + i;
            sink.accept(outcomes == null
                    ? OutcomeCodec.notRun(index, chunk.originalIndex(i), chunk.cancelled())
                    : OutcomeCodec.withIndex(index, chunk.originalIndex(i), outcomes.get(i),
                            job.status() == JobStatus.CANCELLED));
        }
    }

    /** An {@code integer[]} column as ints; null stays null. */
    private static int[] ints(java.sql.Array array) throws SQLException {
        if (array == null) {
            return null;
        }
        Integer[] values = (Integer[]) array.getArray();
        int[] ints = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            ints[i] = values[i];
        }
        return ints;
    }
}
