package dev.bulklinks.dialect;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;

/** Settings of the dialects, the front doors that speak other systems' wire formats ({@code bulklinks.dialects.*}). */
@ConfigMapping(prefix = "bulklinks.dialects")
public interface DialectConfig {

    /**
     * How long a synchronous dialect route (AYON's, SAS's and Propeller's bulk links) waits for its job to
     * finish before it answers 202 with the job token and Location instead of the final result. Default 60s.
     */
    @WithName("wait") // wait() is Object's
    @WithDefault("60s")
    Duration syncWait();
}
