package dev.bulklinks.worker;

import dev.bulklinks.job.Claim;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

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

    /** Claims the next chunk, as a worker would, and leaves it leased: {@link #run} it. */
    public Optional<Claim> claim() {
        return runner.claim("test-worker", null);
    }

    /** Runs a chunk {@link #claim}ed. */
    public void run(Claim claim) {
        runner.run(claim);
    }
}
