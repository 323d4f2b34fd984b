package dev.bulklinks.intake;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Limits and shape of bulk submissions ({@code bulklinks.intake.*}). */
@ConfigMapping(prefix = "bulklinks.intake")
public interface IntakeConfig {

    /** Items per chunk: the unit a worker claims and commits in one transaction. Default 1000. */
    @WithDefault("1000")
    int chunkSize();

    /** Most items in one job; a submission with more is refused with 413. Default 10000000. */
    @WithDefault("10000000")
    int maxItems();

    /** Largest request body of a bulk submission; a larger one is refused with 413. Default 2G. */
    @WithDefault("2G")
    MemorySize maxBodySize();

    /** Largest single item of a bulk body, read as it streams; a larger one is refused with 413. Default 1M. */
    @WithDefault("1M")
    MemorySize maxItemSize();

    /** Longest a submission may take to upload and store before it is abandoned. Default 1h. */
    @WithDefault("1h")
    Duration timeout();
}
