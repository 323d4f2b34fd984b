package dev.bulklinks.job;

import java.time.Instant;

/** One point of a project's activity: items processed in the step that ends at {@code at}, and waiting then. */
public record ActivityPoint(Instant at, long processed, long waiting) {
}
