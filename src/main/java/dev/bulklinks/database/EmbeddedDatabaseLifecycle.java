package dev.bulklinks.database;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Stops the embedded PostgreSQL after everything else in the application has stopped using it. */
@ApplicationScoped
class EmbeddedDatabaseLifecycle {

    void started(@Observes StartupEvent event) {
        EmbeddedDatabase.applicationStarted();
    }

    /** Runs after every other shutdown observer (observers run in ascending priority). */
    void stopped(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) {
        EmbeddedDatabase.stopCurrent();
    }
}
