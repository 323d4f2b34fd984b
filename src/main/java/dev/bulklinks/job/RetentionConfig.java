package dev.bulklinks.job;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long finished work is kept ({@code bulklinks.retention.*}). */
@ConfigMapping(prefix = "bulklinks.retention")
public interface RetentionConfig {

    /**
     * How long a done, rejected or cancelled job is kept, with its items and results; then its
     * status answers 404. The links it wrote stay. Default 7d.
     */
    @WithDefault("7d")
    Duration finishedJobs();

    /** How often expired jobs and idempotency keys are deleted. Default 10m. */
    @WithDefault("10m")
    Duration interval();
}
