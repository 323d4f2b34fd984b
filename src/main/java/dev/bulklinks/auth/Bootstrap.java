package dev.bulklinks.auth;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import org.jboss.logging.Logger;
import java.sql.SQLException;

/**
 * The first admin. A configured {@code bulklinks.auth.admin-api-key} is made a key of the user
 * {@code admin} at each start. Without one, a database with no admin gets one at its first start,
 * with a new key written to {@code bulklinks.auth.bootstrap-key-file}, so that a fresh install can
 * be used at once; the log says where the key is.
 */
@ApplicationScoped
class Bootstrap {

    private static final Logger LOG = Logger.getLogger(Bootstrap.class);
    static final String ADMIN = "admin";

    private final AuthRepository repository;
    private final AuthConfig config;

    Bootstrap(AuthRepository repository, AuthConfig config) {
        this.repository = repository;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        QuarkusTransaction.requiringNew().run(() -> {
            try {
                if (config.adminApiKey().isPresent()) {
                    String key = config.adminApiKey().get();
                    if (key.length() < 20) {
                        throw new IllegalStateException("bulklinks.auth.admin-api-key must be at least 20 characters");
                    }
                    UUID admin = repository.ensureAdmin(ADMIN);
                    repository.addKey(UUID.randomUUID(), admin, ApiKeys.hash(key), "configured admin key");
                    return;
                }
                if (repository.anyAdmin()) {
                    return;
                }
                String key = ApiKeys.generate();
                UUID admin = repository.ensureAdmin(ADMIN);
                repository.addKey(UUID.randomUUID(), admin, ApiKeys.hash(key), "created at the first start");
                Path file = write(config.bootstrapKeyFile(), key);
                LOG.infof("No admin existed: created the user 'admin' and wrote its API key to %s. Sign in with"
                        + " POST /api/auth {\"api_key\": \"<that key>\"}; set BULKLINKS_AUTH_ADMIN_API_KEY to choose"
                        + " the key yourself.", file);
            } catch (SQLException | IOException e) {
                throw new IllegalStateException("could not set up the admin user: " + e.getMessage(), e);
            }
        });
    }

    private static Path write(Path file, String key) throws IOException {
        Path target = file.toAbsolutePath().normalize();
        if (target.getParent() != null) {
            Files.createDirectories(target.getParent());
        }
        Files.writeString(target, key + "\n");
        try {
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the file keeps the default permissions.
        }
        return target;
    }
}
