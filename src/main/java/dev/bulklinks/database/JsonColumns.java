package dev.bulklinks.database;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;

/** A {@code json} or {@code jsonb} column read back, as the repositories keep it: a tree, or null for NULL. */
public final class JsonColumns {

    private JsonColumns() {
    }

    /** {@code text} (a column's value, as {@code ResultSet#getString} reads it) as a tree; null for NULL. */
    public static JsonNode tree(ObjectMapper json, String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            // The database wrote it: text it cannot have stored is a fault of the service, not of a request.
            throw new UncheckedIOException(e);
        }
    }
}
