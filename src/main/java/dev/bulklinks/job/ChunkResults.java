package dev.bulklinks.job;

/**
 * One chunk's stored outcomes, as a results stream reads them: {@code outcomes} is the JSON array
 * text (null while the chunk has not run), {@code cancelled} when it never will, {@code originalIndexes}
 * the index each item had in the job a retry retries (null for other jobs), and {@code items}, the chunk's
 * items as submitted (a JSON array text), only when the reader asked for them (results.csv).
 */
public record ChunkResults(int chunkNo, int firstIndex, int itemCount, String outcomes, boolean cancelled,
        int[] originalIndexes, String items) {

    public ChunkResults(int chunkNo, int firstIndex, int itemCount, String outcomes, boolean cancelled) {
        this(chunkNo, firstIndex, itemCount, outcomes, cancelled, null, null);
    }

    public ChunkResults(int chunkNo, int firstIndex, int itemCount, String outcomes, boolean cancelled,
            int[] originalIndexes) {
        this(chunkNo, firstIndex, itemCount, outcomes, cancelled, originalIndexes, null);
    }

    /** The original index of the chunk's {@code i}-th item, or null when the job is no retry. */
    public Integer originalIndex(int i) {
        return originalIndexes == null ? null : originalIndexes[i];
    }
}
