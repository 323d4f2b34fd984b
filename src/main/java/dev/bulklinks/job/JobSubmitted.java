package dev.bulklinks.job;

import java.util.UUID;

/** Fired after a job's items are committed, so that idle workers in this instance look at once. */
public record JobSubmitted(UUID token) {
}
