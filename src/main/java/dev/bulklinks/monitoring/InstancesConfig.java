package dev.bulklinks.monitoring;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the instances' heartbeat ({@code bulklinks.instances.*}). */
@ConfigMapping(prefix = "bulklinks.instances")
public interface InstancesConfig {

    /**
     * How often an instance records itself; one not seen for three of these is shown gone. Default 10s. Quarkus'
     * scheduler looks at its triggers once a second, so a shorter heartbeat beats once a second.
     */
    @WithDefault("10s")
    Duration heartbeat();

    /** How long a gone instance stays on the list before its row is dropped. Default 1h. */
    @WithDefault("1h")
    Duration forgetAfter();
}
