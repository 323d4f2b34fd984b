package dev.bulklinks.progress;

import dev.bulklinks.job.ChunksWritten;
import dev.bulklinks.job.DeferredWritten;
import dev.bulklinks.job.JobChanged;
import dev.bulklinks.job.JobStatus;
import dev.bulklinks.job.JobView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes the sync events of jobs. Its observers run synchronously, inside the transaction that made
 * the change, so an event commits with it or not at all.
 */
@ApplicationScoped
class FeedRecorder {

    private final SyncFeed feed;

    FeedRecorder(SyncFeed feed) {
        this.feed = feed;
    }

    void jobChanged(@Observes JobChanged event) throws SQLException {
        JobView job = event.job();
        String token = job.token().toString();
        switch (event.change()) {
            // Its submitter waits for the 202, not for this event's cursor.
            case CREATED -> feed.appendNumberedLater(job.project(), "INSERT", SyncEvent.JOBS, token, job);
            case STATUS -> {
                if (job.status().isFinal()) {
                    feed.finalStatus(job.project(), job.token(), job);
                } else if (job.status() == JobStatus.PROCESSING) {
                    // A job's start is made by a claim, whose transaction does not wait for the disk and so
                    // leaves its events to the sequencer anyway (ChunkQueue.claim); asking to number it at
                    // commit cost the claim a round trip to learn that.
                    feed.appendNumberedLater(job.project(), "UPDATE", SyncEvent.JOBS, token, job);
                } else {
                    feed.append(job.project(), "UPDATE", SyncEvent.JOBS, token, job);
                }
            }
            case PROGRESS -> {
                if (job.status() == JobStatus.PROCESSING) {
                    feed.progress(job.project(), job.token(), job);
                } else {
                    feed.append(job.project(), "UPDATE", SyncEvent.JOBS, token, job);
                }
            }
        }
    }

    /** One event per chunk that wrote something, in chunk order. */
    void chunksWritten(@Observes ChunksWritten event) throws SQLException {
        if (event.ids().isEmpty()) {
            return;
        }
        List<Object> events = new ArrayList<>(event.ids().size());
        event.ids().forEach((chunk, ids) -> events.add(chunk(event.job(), event.project(), chunk, ids)));
        feed.appendAll(event.project(), "INSERT", event.dataType(), event.job().toString(), events);
    }

    /** The same event as for a chunk, with the ids the final pass wrote for it. */
    void deferredWritten(@Observes DeferredWritten event) throws SQLException {
        feed.append(event.project(), "INSERT", event.dataType(), event.job().toString(),
                chunk(event.job(), event.project(), event.chunk(), event.ids()));
    }

    /**
     * A chunk's event: {@code {"job.token", "project_gid", "chunk", "count", "ids"}}. Built here from the ids
     * the worker holds: built in SQL from the stored outcomes, it cost about 2 ms of database time a chunk
     * of 1000 (parsing them back), in the benchmark of 2026-11.
     */
    private static Map<String, Object> chunk(UUID job, String project, int chunk, List<UUID> ids) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("job.token", job);
        data.put("project_gid", project);
        data.put("chunk", chunk);
        data.put("count", ids.size());
        data.put("ids", ids);
        return data;
    }
}
