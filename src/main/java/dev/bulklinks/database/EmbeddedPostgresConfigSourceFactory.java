package dev.bulklinks.database;

import io.quarkus.runtime.ExecutionMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Points the datasource at an embedded PostgreSQL when none is configured.
 *
 * <p>Runs while the configuration is built, before the datasource and Flyway start, so the rest
 * of the service never knows which kind of server it talks to. When
 * {@code quarkus.datasource.jdbc.url} is set (for example through
 * {@code QUARKUS_DATASOURCE_JDBC_URL}), it does nothing.
 */
public class EmbeddedPostgresConfigSourceFactory implements ConfigSourceFactory {

    static final String URL = "quarkus.datasource.jdbc.url";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        // Configuration is also built while the application is built and at static init; the
        // server must start only for the running application, and its port must never be recorded.
        if (ExecutionMode.current() != ExecutionMode.RUNTIME_INIT
                || isSet(context, URL) || "false".equals(value(context, "bulklinks.embedded-postgres.enabled", "true"))) {
            return List.of();
        }
        Path dataDir = Path.of(value(context, "bulklinks.embedded-postgres.data-dir", "data"));
        boolean clean = Boolean.parseBoolean(value(context, "bulklinks.embedded-postgres.clean", "false"));
        boolean durable = Boolean.parseBoolean(value(context, "bulklinks.embedded-postgres.synchronous-commit", "true"));
        EmbeddedDatabase db = EmbeddedDatabase.start(dataDir, clean, durable);
        return List.of(new PropertiesConfigSource(Map.of(
                URL, db.jdbcUrl(),
                "quarkus.datasource.username", db.user(),
                "quarkus.datasource.password", db.password()),
                "embedded-postgres", 50));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(50);
    }

    private static boolean isSet(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }

    private static String value(ConfigSourceContext context, String name, String fallback) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null ? fallback : value.getValue();
    }
}
