package dev.bulklinks.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulklinks.api.ApiException;
import java.util.Map;

/**
 * The options of a bulk job. In a JSON body they are fields beside the items; with NDJSON they are
 * query parameters. A query parameter also sets the default for a JSON body.
 */
record BulkOptions(String mode, String lookupKey, boolean atomic) {

    static final String MODE = "mode";
    static final String LOOKUP_KEY = "lookupKey";
    static final String ATOMIC = "atomic";

    /** Reads the options from the body's fields, falling back on the query parameters. */
    static BulkOptions of(Map<String, JsonNode> body, Map<String, String> query) {
        String mode = text(body, query, MODE, "create");
        if (!mode.equals("create") && !mode.equals("upsert")) {
            throw ApiException.badRequest("mode must be \"create\" or \"upsert\".");
        }
        String lookupKey = text(body, query, LOOKUP_KEY, "id");
        if (!lookupKey.equals("id") && !lookupKey.equals("sourceId")) {
            throw ApiException.badRequest("lookupKey must be \"id\" or \"sourceId\".");
        }
        return new BulkOptions(mode, lookupKey, atomic(body, query));
    }

    ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        if (mode != null) {
            node.put(MODE, mode).put(LOOKUP_KEY, lookupKey);
        }
        return node.put(ATOMIC, atomic);
    }

    private static String text(Map<String, JsonNode> body, Map<String, String> query, String name, String fallback) {
        JsonNode value = body.get(name);
        if (value == null) {
            return query.getOrDefault(name, fallback);
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest(name + " must be a string.");
        }
        return value.textValue();
    }

    static boolean atomic(Map<String, JsonNode> body, Map<String, String> query) {
        JsonNode value = body.get(ATOMIC);
        if (value != null) {
            if (!value.isBoolean()) {
                throw ApiException.badRequest("atomic must be true or false.");
            }
            return value.booleanValue();
        }
        String text = query.get(ATOMIC);
        if (text == null || text.equals("false")) {
            return false;
        }
        if (text.equals("true")) {
            return true;
        }
        throw ApiException.badRequest("atomic must be true or false.");
    }
}
