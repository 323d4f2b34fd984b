package dev.bulklinks.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The stored and published form of item outcomes (SAS and Propeller style):
 * {@code {"success": true, "id", "operation": "CREATE"}} or
 * {@code {"success": false, "error": {"code", "message", "details"}}}. Stored without the index, which
 * follows from the chunk's first index and the position in the array.
 */
final class OutcomeCodec {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private OutcomeCodec() {
    }

    static ArrayNode toArray(List<ItemOutcome> outcomes) {
        ArrayNode array = NODES.arrayNode(outcomes.size());
        for (ItemOutcome outcome : outcomes) {
            array.add(toNode(outcome));
        }
        return array;
    }

    static ObjectNode toNode(ItemOutcome outcome) {
        ObjectNode node = NODES.objectNode();
        if (outcome instanceof ItemOutcome.Deferred) {
            return node.put("pending", true);
        }
        node.put("success", outcome.success());
        if (outcome instanceof ItemOutcome.Created c) {
            node.put("id", c.id().toString()).put("operation", "CREATE");
        } else if (outcome instanceof ItemOutcome.Updated u) {
            node.put("id", u.id().toString()).put("operation", "UPDATE");
        } else if (outcome instanceof ItemOutcome.Deleted d) {
            node.put("id", d.id().toString()).put("operation", "DELETE");
        } else if (outcome instanceof ItemOutcome.Failed f) {
            ObjectNode error = node.putObject("error");
            error.put("code", f.code()).put("message", f.message());
            ArrayNode details = error.putArray("details");
            f.details().forEach(details::add);
        }
        return node;
    }

    /**
     * The published result of item {@code index}: its stored outcome, fields in the documented order
     * (jsonb keeps keys in its own order). A deferred item is pending, or cancelled with its job.
     */
    static ObjectNode withIndex(int index, JsonNode stored, boolean jobCancelled) {
        return withIndex(index, null, stored, jobCancelled);
    }

    /**
     * As {@link #withIndex(int, JsonNode, boolean)}, with {@code original_index} after the index: the
     * index the item had in the job a retry retries (absent when {@code originalIndex} is null).
     */
    static ObjectNode withIndex(int index, Integer originalIndex, JsonNode stored, boolean jobCancelled) {
        if (isDeferred(stored)) {
            return notRun(index, originalIndex, jobCancelled);
        }
        ObjectNode node = indexed(index, originalIndex);
        copy(stored, node, "success", "id", "operation");
        JsonNode error = stored.get("error");
        if (error != null) {
            copy(error, node.putObject("error"), "code", "message", "details");
        }
        return node;
    }

    /** True for the stored outcome of a deferred item, which is neither a success nor a failure yet. */
    static boolean isDeferred(JsonNode stored) {
        return stored.has("pending");
    }

    private static void copy(JsonNode from, ObjectNode to, String... fields) {
        for (String field : fields) {
            JsonNode value = from.get(field);
            if (value != null) {
                to.set(field, value);
            }
        }
    }

    /** An item whose chunk has not run yet, or never will because its job was cancelled. */
    static ObjectNode notRun(int index, boolean cancelled) {
        return notRun(index, null, cancelled);
    }

    /** As {@link #notRun(int, boolean)}, with the item's original index when it has one. */
    static ObjectNode notRun(int index, Integer originalIndex, boolean cancelled) {
        return indexed(index, originalIndex).put(cancelled ? "cancelled" : "pending", true);
    }

    private static ObjectNode indexed(int index, Integer originalIndex) {
        ObjectNode node = NODES.objectNode().put("index", index);
        return originalIndex == null ? node : node.put("original_index", originalIndex.intValue());
    }
}
