package dev.bulklinks.entity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Entities as this instance reads them ({@code bulklinks.entities.*}). */
@ConfigMapping(prefix = "bulklinks.entities")
public interface EntityConfig {

    /**
     * How many entity types this instance keeps for the link checks ({@link EntityTypes}), 64 to 128
     * bytes of heap each (17 MB when full at the default); one more empties the cache, which fills again
     * from the database. 0 reads every type from the database each time. Default 200000.
     */
    @WithDefault("200000")
    int typeCacheSize();
}
