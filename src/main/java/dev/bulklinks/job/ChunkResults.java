package dev.bulklinks.job;

/**
 * One chunk's stored outcomes, as a results stream reads them: {@code outcomes} is the JSON array
 * text (null while the chunk has not run), {@code cancelled} when it never will.
 */
public record ChunkResults(int chunkNo, int firstIndex, int itemCount, String outcomes, boolean cancelled) {
}
