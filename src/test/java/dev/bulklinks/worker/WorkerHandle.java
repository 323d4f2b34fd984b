package dev.bulklinks.worker;

import jakarta.enterprise.context.ApplicationScoped;

/** For tests: runs one chunk as a worker would, in the test's thread. */
@ApplicationScoped
public class WorkerHandle {

    private final ChunkRunner runner;

    WorkerHandle(ChunkRunner runner) {
        this.runner = runner;
    }

    /** Claims and runs the next chunk; false when there was none. */
    public boolean runOne() {
        var claim = runner.claim("test-worker", null);
        claim.ifPresent(runner::run);
        return claim.isPresent();
    }
}
