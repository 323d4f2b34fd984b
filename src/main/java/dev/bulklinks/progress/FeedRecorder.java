package dev.bulklinks.progress;

import dev.bulklinks.job.ChunksWritten;
import dev.bulklinks.job.DeferredWritten;
import dev.bulklinks.job.JobChanged;
import dev.bulklinks.job.JobStatus;
import dev.bulklinks.job.JobView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

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
            case CREATED -> feed.append(job.project(), "INSERT", SyncEvent.JOBS, token, job);
            case STATUS -> {
                if (job.status().isFinal()) {
                    feed.dropProgress(job.token());
                }
                feed.append(job.project(), "UPDATE", SyncEvent.JOBS, token, job);
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

    void chunksWritten(@Observes ChunksWritten event) throws SQLException {
        feed.chunksWritten(event.job(), event.first(), event.last(), event.dataType());
    }

    /** The same event as for a chunk, with the ids the final pass wrote for it. */
    void deferredWritten(@Observes DeferredWritten event) throws SQLException {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("job.token", event.job());
        data.put("project_gid", event.project());
        data.put("chunk", event.chunk());
        data.put("count", event.ids().size());
        data.put("ids", event.ids());
        feed.append(event.project(), "INSERT", event.dataType(), event.job().toString(), data);
    }
}
