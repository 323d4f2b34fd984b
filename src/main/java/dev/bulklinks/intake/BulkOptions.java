package dev.bulklinks.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulklinks.api.ApiException;
import java.util.Map;

/**
 * The options of a bulk job. In a JSON body they are fields beside the items; with NDJSON they are
 * query parameters. A query parameter also sets the default for a JSON body.
 *
 * @param dryRun every item is checked and its outcome recorded as it would be, and nothing is written
 */
record BulkOptions(String mode, String lookupKey, boolean atomic, boolean dryRun, String callback) {

    static final String MODE = "mode";
    static final String LOOKUP_KEY = "lookupKey";
    static final String ATOMIC = "atomic";
    static final String DRY_RUN = "dryRun";
    /** A URL told when the job ends, as a webhook's job.finished (dev.bulklinks.webhook.Callbacks). */
    static final String CALLBACK = "callback";

    BulkOptions(String mode, String lookupKey, boolean atomic) {
        this(mode, lookupKey, atomic, false, null);
    }

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
        return new BulkOptions(mode, lookupKey, atomic(body, query), dryRun(body, query), text(body, query, CALLBACK, null));
    }

    /** Options of a kind whose only options are atomic and dryRun. */
    static BulkOptions atomicOnly(Map<String, JsonNode> body, Map<String, String> query) {
        return new BulkOptions(null, null, atomic(body, query), dryRun(body, query), text(body, query, CALLBACK, null));
    }

    ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        if (mode != null) {
            node.put(MODE, mode).put(LOOKUP_KEY, lookupKey);
        }
        node.put(ATOMIC, atomic);
        // Only when set: the options of an ordinary job stay as they were.
        if (callback != null) {
            node.put(CALLBACK, callback);
        }
        return dryRun ? node.put(DRY_RUN, true) : node;
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
        return flag(body, query, ATOMIC);
    }

    static boolean dryRun(Map<String, JsonNode> body, Map<String, String> query) {
        return flag(body, query, DRY_RUN);
    }

    /** A boolean option: the body's field (a JSON boolean), else the query parameter (true or false), else false. */
    private static boolean flag(Map<String, JsonNode> body, Map<String, String> query, String name) {
        JsonNode value = body.get(name);
        if (value != null) {
            if (!value.isBoolean()) {
                throw ApiException.badRequest(name + " must be true or false.");
            }
            return value.booleanValue();
        }
        String text = query.get(name);
        if (text == null || text.equals("false")) {
            return false;
        }
        if (text.equals("true")) {
            return true;
        }
        throw ApiException.badRequest(name + " must be true or false.");
    }
}
