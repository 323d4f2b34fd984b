package dev.bulklinks.job;

import java.util.UUID;

/** A chunk leased to a worker: the guard for every later change to it (its owner and attempt must still match). */
public record Claim(UUID job, int chunkNo, int attempt, String owner) {

    /**
     * The chunk number of a job's final pass, a row with no items: after every other chunk, it settles
     * the items that a handler deferred ({@link ItemOutcome.Deferred}).
     */
    public static final int FINAL_PASS = Integer.MAX_VALUE;

    /** True when this is the job's final pass rather than a chunk of items. */
    public boolean finalPass() {
        return chunkNo == FINAL_PASS;
    }
}
