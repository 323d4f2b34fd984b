package dev.bulklinks.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulklinks.database.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The statements intake runs to store a job: its row, its chunks, and its count once every item is
 * stored. All in the intake's one transaction, so nothing of a job is visible before it is whole.
 */
@ApplicationScoped
public class IntakeRepository {

    private final Sql sql;
    private final JobRepository jobs;
    private final JobChanges changes;
    private final Handlers handlers;

    IntakeRepository(Sql sql, JobRepository jobs, JobChanges changes, Handlers handlers) {
        this.sql = sql;
        this.jobs = jobs;
        this.changes = changes;
        this.handlers = handlers;
    }

    /** Inserts a queued job with no items yet; answers its sequence number. */
    public long insert(UUID token, String project, JobKind kind, Submitter submitter) throws SQLException {
        return sql.one("""
                INSERT INTO job (token, project, kind, submitted_by, api_key, link_types)
                VALUES (?, ?, ?, ?, ?, ?) RETURNING seq""", rs -> rs.getLong(1),
                token, project, kind.wireName(), submitter.name(), submitter.apiKey(),
                submitter.linkTypes() == null ? null : Sql.array("text", submitter.linkTypes().toArray()));
    }

    /**
     * Copies the chunk rows spooled by a {@link ChunkWriter} into the job's chunks, on the
     * transaction's connection; answers the number of chunks. {@code withOriginalIndexes} when the
     * writer was given the items' original indexes (a retry).
     */
    public int copyChunks(UUID token, long jobSeq, int chunkSize, InputStream rows, boolean withOriginalIndexes)
            throws SQLException, IOException {
        try {
            return sql.with(c -> {
                try {
                    return ChunkWriter.copy(c, token, jobSeq, chunkSize, rows, withOriginalIndexes);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Records the item count and options once every item is stored, and what the job's handler
     * reserves for its items ({@link BatchHandler#reserve}): the job is now queued for good, and
     * announced.
     */
    public JobView submitted(UUID token, int total, JsonNode options, boolean atomic) throws SQLException {
        JobView job = sql.one("""
                UPDATE job SET total = ?, remaining = ?, options = ?::jsonb, atomic = ?,
                               updated_at = clock_timestamp()
                 WHERE token = ?""" + " RETURNING " + JobRepository.COLUMNS, jobs::view,
                total, total, options.toString(), atomic, token);
        Long positionBase = handlers.of(job.kind()).reserve(total);
        if (positionBase != null) {
            sql.update("UPDATE job SET position_base = ? WHERE token = ?", positionBase, token);
        }
        changes.created(job);
        // Idle workers of every instance hear of the job at commit, instead of at their next poll. One
        // NOTIFY a job: PostgreSQL serializes the commits of notifying transactions, which a submission can
        // afford and a chunk commit could not (see PendingEvents).
        sql.first("SELECT pg_notify(?, ?)", rs -> null, JobSubmitted.CHANNEL, token.toString());
        return job;
    }
}
