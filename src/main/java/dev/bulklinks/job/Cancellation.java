package dev.bulklinks.job;

import dev.bulklinks.api.ApiException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Cancels a job: the chunks that have not committed are stopped, then the job moves to cancelled.
 * Chunks are locked before the job's row, the order workers take them in.
 */
@ApplicationScoped
public class Cancellation {

    private static final Logger LOG = Logger.getLogger(Cancellation.class);

    private final JobRepository jobs;
    private final ChunkQueue chunks;
    private final JobChanges changes;

    Cancellation(JobRepository jobs, ChunkQueue chunks, JobChanges changes) {
        this.jobs = jobs;
        this.chunks = chunks;
        this.changes = changes;
    }

    /** Cancels {@code job} (found in its project by the caller); answers its status afterwards. */
    public JobView cancel(JobView job) {
        return QuarkusTransaction.requiringNew().call(() -> {
            if (job.status().isFinal()) {
                throw finished(job);
            }
            int stopped = chunks.cancelChunks(job.token());
            JobView now = jobs.find(job.project(), job.token()).orElseThrow();
            if (now.status().isFinal() || !changes.move(job.token(), now.status(), JobStatus.CANCELLED, null)) {
                throw finished(jobs.find(job.project(), job.token()).orElseThrow());
            }
            try (JobLog log = JobLog.about(job.token())) {
                LOG.infof("job %s: cancelled, %d chunks stopped, %d items not run", job.token(), stopped,
                        now.info().remaining());
            }
            return jobs.find(job.project(), job.token()).orElseThrow();
        });
    }

    private static ApiException finished(JobView job) {
        return ApiException.conflict("Job " + job.token() + " is already " + job.status().wireName()
                + "; only a queued or processing job can be cancelled.");
    }
}
