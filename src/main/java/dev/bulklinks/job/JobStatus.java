package dev.bulklinks.job;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Where a job is in its life. Mirrored by the CHECK on {@code job.status}; every change goes through
 * {@link JobChanges#move}, which refuses a move this table does not allow.
 */
public enum JobStatus {
    /** Stored and waiting for a worker to claim its first chunk. */
    QUEUED,
    /** At least one chunk was claimed; counters move as chunks commit. */
    PROCESSING,
    /** Every item was tried: failures are counted in {@code info.failed} and listed in the results. */
    DONE,
    /** Refused as a whole and nothing was written (an atomic job with an invalid item, a bad selection). */
    REJECTED,
    /** Stopped by a caller: committed chunks stay, the others never run. */
    CANCELLED;

    /** True when {@code next} may follow this status. */
    public boolean canMoveTo(JobStatus next) {
        return allowedNext().contains(next);
    }

    public Set<JobStatus> allowedNext() {
        return switch (this) {
            case QUEUED -> EnumSet.of(PROCESSING, REJECTED, CANCELLED);
            case PROCESSING -> EnumSet.of(DONE, REJECTED, CANCELLED);
            case DONE, REJECTED, CANCELLED -> EnumSet.noneOf(JobStatus.class);
        };
    }

    public boolean isFinal() {
        return allowedNext().isEmpty();
    }

    /** The name used in the database and on the wire. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobStatus fromWire(String name) {
        for (JobStatus status : values()) {
            if (status.wireName().equals(name)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown job status " + name);
    }
}
