package dev.bulklinks.job;

/**
 * One chunk's stored outcomes, as a results stream reads them: {@code outcomes} is the JSON array
 * text (null while the chunk has not run), {@code cancelled} when it never will; {@code items}, the
 * chunk's items as submitted (a JSON array text), only when the reader asked for them (results.csv).
 */
public record ChunkResults(int chunkNo, int firstIndex, int itemCount, String outcomes, boolean cancelled,
        String items) {

    public ChunkResults(int chunkNo, int firstIndex, int itemCount, String outcomes, boolean cancelled) {
        this(chunkNo, firstIndex, itemCount, outcomes, cancelled, null);
    }
}
