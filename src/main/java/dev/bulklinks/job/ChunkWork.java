package dev.bulklinks.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.util.List;
import java.util.UUID;

/** What a worker needs to run a chunk; {@code items} is the stored JSON array. */
public record ChunkWork(UUID job, int chunkNo, int firstIndex, int itemCount, String project, JobKind kind,
        JsonNode options, boolean atomic, Submitter submitter, String items, Long positionBase) {

    /**
     * True for a dry run ({@code "dryRun": true} in the job's options): the items are checked and their
     * outcomes stored as they would be, and what they would write is rolled back.
     */
    public boolean dryRun() {
        return options != null && options.path("dryRun").asBoolean(false);
    }

    /** The items, read with {@code reader} (a reader for a list of the job's item type). */
    public <T> List<T> items(ObjectReader reader) {
        try {
            return reader.readValue(items);
        } catch (IOException e) {
            throw new IllegalStateException("stored items of job " + job + " are not readable", e);
        }
    }
}
