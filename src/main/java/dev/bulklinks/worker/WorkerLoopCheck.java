package dev.bulklinks.worker;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of this instance's workers: down when a worker thread died or is stuck on one chunk
 * past {@code bulklinks.worker.stuck-after}, so that an orchestrator replaces the instance. (The
 * database's own check puts readiness down while PostgreSQL is unreachable.)
 */
@Readiness
@ApplicationScoped
class WorkerLoopCheck implements HealthCheck {

    private final Workers workers;

    WorkerLoopCheck(Workers workers) {
        this.workers = workers;
    }

    @Override
    public HealthCheckResponse call() {
        List<String> stuck = workers.stuck();
        return HealthCheckResponse.named("Worker loop").status(stuck.isEmpty()).withData("workers", workers.threadCount())
                .withData("busy", workers.busyCount()).withData("problems", String.join("; ", stuck)).build();
    }
}
