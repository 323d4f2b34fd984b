package dev.bulklinks.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulklinks.database.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The statements intake runs to store a job: its row, its chunks, and its first event. All in the
 * intake's one transaction, so nothing of a job is visible before it is whole; only the chunks of a
 * large body are staged before it, each batch in a transaction of its own, and read by nothing until
 * that transaction makes them its job's.
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

    /**
     * Inserts the queued {@code job}, whose items are spooled and about to be copied in the same
     * transaction, with what its handler reserves for them ({@link BatchHandler#reserve}); answers it,
     * or nothing when its project is gone (deleted while the body was read). Idle workers of every
     * instance hear of the job at commit, instead of at their next poll: one NOTIFY a job, which
     * PostgreSQL delivers at commit wherever in the transaction it is sent (and serializes the commits
     * of notifying transactions, which a submission can afford and a chunk commit could not: see
     * PendingEvents). One statement: each one more was a round trip that a small job's 202 waited for,
     * 1-3 ms when the database is busy with a large import (2026-12-02).
     */
    public Optional<JobView> insert(JobSubmitted job, String project, JobKind kind, Submitter submitter,
            JsonNode options, boolean atomic) throws SQLException {
        int total = job.items();
        Long positionBase = handlers.of(kind).reserve(total);
        return sql.first("""
                WITH new_job AS (
                    INSERT INTO job (token, project, kind, submitted_by, api_key, link_types, total, remaining,
                                     options, atomic, position_base)
                    SELECT ?, name, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ? FROM project WHERE name = ?
                    RETURNING *)
                SELECT %s, pg_notify(?, ?) FROM new_job""".formatted(JobRepository.COLUMNS), jobs::view,
                job.token(), kind.wireName(), submitter.name(), submitter.apiKey(),
                submitter.linkTypes() == null ? null : Sql.array("text", submitter.linkTypes().toArray()),
                total, total, options.toString(), atomic, positionBase, project, JobSubmitted.CHANNEL, job.payload());
    }

    /**
     * Copies the chunk rows spooled by a {@link ChunkWriter} into the job's chunks from chunk
     * {@code firstChunkNo} on, queued, on the transaction's connection; answers the number of chunks.
     * {@code withOriginalIndexes} when the writer was given the items' original indexes (a retry).
     */
    public int copyChunks(UUID token, long jobSeq, int firstChunkNo, int chunkSize, InputStream rows,
            boolean withOriginalIndexes) throws SQLException, IOException {
        return copy(token, jobSeq, firstChunkNo, chunkSize, rows, withOriginalIndexes, null);
    }

    /**
     * Copies spooled chunk rows in as staged chunks of a job not stored yet, from chunk
     * {@code firstChunkNo} on; answers how many. They are kept until {@code until}, when an upload that
     * never ended leaves them ({@link #deleteAbandonedStaged}), and read by nothing until
     * {@link #queueStaged} makes them its job's.
     */
    public int stageChunks(UUID token, int firstChunkNo, int chunkSize, InputStream rows, boolean withOriginalIndexes,
            Instant until) throws SQLException, IOException {
        return copy(token, 0, firstChunkNo, chunkSize, rows, withOriginalIndexes, until);
    }

    private int copy(UUID token, long jobSeq, int firstChunkNo, int chunkSize, InputStream rows,
            boolean withOriginalIndexes, Instant stagedUntil) throws SQLException, IOException {
        try {
            return sql.with(c -> {
                try {
                    return ChunkWriter.copy(c, token, jobSeq, firstChunkNo, chunkSize, rows, withOriginalIndexes,
                            stagedUntil);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Makes the staged chunks of {@code token} the queued chunks of its job, now stored; answers how many. */
    public int queueStaged(UUID token, long jobSeq) throws SQLException {
        return sql.update("UPDATE job_chunk SET state = %s, job_seq = ?, lease_until = NULL WHERE job_token = ? AND state = %s"
                .formatted(ChunkState.QUEUED.sql(), ChunkState.STAGED.sql()), jobSeq, token);
    }

    /** Deletes the staged chunks of an upload that will not be stored; answers how many. */
    public int discardStaged(UUID token) throws SQLException {
        return sql.update("DELETE FROM job_chunk WHERE job_token = ? AND state = " + ChunkState.STAGED.sql(), token);
    }

    /** Deletes up to {@code limit} staged chunks kept past their time: their upload never ended. */
    public int deleteAbandonedStaged(int limit) throws SQLException {
        return sql.update("""
                DELETE FROM job_chunk WHERE (job_token, chunk_no) IN (
                    SELECT job_token, chunk_no FROM job_chunk
                     WHERE state = %1$s AND lease_until < clock_timestamp()
                     LIMIT ?)""".formatted(ChunkState.STAGED.sql()), limit);
    }

    /** Records the job's first event, once every item is stored. */
    public void stored(JobView job) throws SQLException {
        changes.created(job);
    }
}
