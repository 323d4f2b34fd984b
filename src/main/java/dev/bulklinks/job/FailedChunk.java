package dev.bulklinks.job;

/**
 * A finished chunk holding failed items, as a retry reads it: its items and their outcomes, each the
 * stored JSON array text, in item order.
 */
public record FailedChunk(int chunkNo, int firstIndex, String items, String outcomes) {
}
