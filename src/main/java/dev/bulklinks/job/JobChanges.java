package dev.bulklinks.job;

import dev.bulklinks.api.ApiError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * The one place that announces changes of jobs ({@link JobChanged}): a job stored, moved to another
 * status, or moved its counters. Each runs in the caller's transaction, and the observers (the sync
 * feed) write in it, so an announcement commits with its change or not at all.
 */
@ApplicationScoped
public class JobChanges {

    private final JobRepository jobs;
    private final Event<JobChanged> changed;

    JobChanges(JobRepository jobs, Event<JobChanged> changed) {
        this.jobs = jobs;
        this.changed = changed;
    }

    /** A job was stored whole and is queued. */
    public void created(JobView job) {
        changed.fire(new JobChanged(job, JobChanged.Change.CREATED));
    }

    /**
     * Moves a job from {@code from} to {@code to} (guarded: only if it is still in {@code from}) and
     * announces it. False when another worker or a caller moved it first, which is normal.
     */
    public boolean move(UUID job, JobStatus from, JobStatus to, ApiError error) throws SQLException {
        Optional<JobView> moved = jobs.transition(job, from, to, error);
        moved.ifPresent(view -> changed.fire(new JobChanged(view, JobChanged.Change.STATUS)));
        return moved.isPresent();
    }

    /** A committed chunk moved the counters of {@code job}; its status stayed. */
    public void progressed(JobView job) {
        changed.fire(new JobChanged(job, JobChanged.Change.PROGRESS));
    }
}
