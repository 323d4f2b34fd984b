package dev.bulklinks.job;

import java.util.UUID;

/**
 * Fired after a job's items are committed, so that idle workers look at once: by the instance that took
 * the job, and by every other one when its listener hears of it on {@link #CHANNEL}.
 */
public record JobSubmitted(UUID token) {

    /** The NOTIFY channel on which a submission is announced to every instance, with the job's token. */
    public static final String CHANNEL = "bulklinks_jobs";
}
