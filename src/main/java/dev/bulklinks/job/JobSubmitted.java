package dev.bulklinks.job;

import java.util.UUID;

/**
 * Fired after a job's items are committed, so that idle workers look at once: by the instance that took
 * the job, and by every other one when its listener hears of it on {@link #CHANNEL}. {@code items} is the
 * job's size and {@code chunks} the chunks workers may claim of it at once (one for an atomic job, whose
 * one worker runs them all); both null when not known, and then every idle worker looks.
 */
public record JobSubmitted(UUID token, Integer items, Integer chunks) {

    /** The NOTIFY channel on which a submission is announced to every instance, as {@link #payload()}. */
    public static final String CHANNEL = "bulklinks_jobs";

    /** The notification's text: the job's token, its items and its chunks, separated by spaces. */
    public String payload() {
        return token + " " + items + " " + chunks;
    }

    /** The submission a notification on {@link #CHANNEL} announces; its size unknown when it gives none. */
    public static JobSubmitted of(String payload) {
        String[] parts = payload.split(" ");
        if (parts.length != 3) {
            return new JobSubmitted(UUID.fromString(parts[0]), null, null);
        }
        return new JobSubmitted(UUID.fromString(parts[0]), Integer.valueOf(parts[1]), Integer.valueOf(parts[2]));
    }
}
