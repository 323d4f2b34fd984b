package dev.bulklinks.dialect.sas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulklinks.api.ApiError;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.dialect.JobResults;
import dev.bulklinks.entity.EntityIds;
import dev.bulklinks.link.EntityRef;
import dev.bulklinks.link.LinkItem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

/**
 * SAS Visual Investigator's "Bulk Create and Update links", translated both ways. In: each item of
 * {@code {"items": [{"id"?, "relationshipTypeName", "fromEntityType", "fromId", "toEntityType", "toId"}]}}
 * becomes a link of the type {@code relationshipTypeName|fromEntityType|toEntityType} from {@code fromId} to
 * {@code toId}, stored as an upsert job: an item with an id updates that link, one without gets a new id,
 * so it is created. Out: one result per item, in input order, the link with its {@code operation} or
 * SAS's error object. An item that cannot become a link (a field missing) is refused here, and the others
 * go on.
 */
final class SasLinks {

    /** The version SAS writes in its collections and errors. */
    static final int VERSION = 2;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] REQUIRED = {"relationshipTypeName", "fromEntityType", "fromId", "toEntityType", "toId"};

    private SasLinks() {
    }

    /** One item as given: the link it becomes, or, when it could not become one, its error. */
    record Item(JsonNode given, LinkItem link, ObjectNode refused) {
    }

    /**
     * Reads the request's items. An item without an id gets a new one; with an {@code Idempotency-Key} the
     * new ids follow from the key and the item's place, so that a retried request is the same request.
     * A body that is not {@code {"items": [...]}} with at least one item is refused whole (400).
     */
    static List<Item> read(JsonNode body, String idempotencyKey) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("The body must be a JSON object: {\"items\": [{\"relationshipTypeName\","
                    + " \"fromEntityType\", \"fromId\", \"toEntityType\", \"toId\"}]}.");
        }
        JsonNode items = body.get("items");
        if (items == null || !items.isArray()) {
            throw ApiException.badRequest("items is required: an array of links, each {\"id\"?, \"relationshipTypeName\","
                    + " \"fromEntityType\", \"fromId\", \"toEntityType\", \"toId\"}.");
        }
        if (items.isEmpty()) {
            throw ApiException.badRequest("items is empty; send at least one link.");
        }
        List<Item> read = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            read.add(item(items.get(i), i, idempotencyKey));
        }
        return read;
    }

    private static Item item(JsonNode given, int index, String idempotencyKey) {
        if (!given.isObject()) {
            return new Item(given, null, itemError(given, 400, 400, "items[" + index + "] must be an object: {\"id\"?,"
                    + " \"relationshipTypeName\", \"fromEntityType\", \"fromId\", \"toEntityType\", \"toId\"}."));
        }
        for (String field : REQUIRED) {
            if (text(given, field) == null) {
                return new Item(given, null, itemError(given, 400, 400, field + " is required: a non-empty string."));
            }
        }
        JsonNode id = given.get("id");
        if (id != null && !id.isNull() && !id.isTextual()) {
            return new Item(given, null, itemError(given, 400, 400, "id must be a string: the id of the link to update."));
        }
        String linkId = text(given, "id");
        if (linkId == null) {
            linkId = (idempotencyKey == null ? UUID.randomUUID()
                    : UUID.nameUUIDFromBytes(("sas " + idempotencyKey + " " + index).getBytes(StandardCharsets.UTF_8)))
                    .toString();
        }
        String type = text(given, "relationshipTypeName") + "|" + text(given, "fromEntityType") + "|"
                + text(given, "toEntityType");
        LinkItem link = new LinkItem(EntityRef.of(text(given, "fromId")), EntityRef.of(text(given, "toId")), type,
                null, linkId, null, null);
        return new Item(given, link, null);
    }

    /** The links to store: those of the items not refused, in input order. */
    static List<LinkItem> links(List<Item> items) {
        return items.stream().filter(item -> item.link() != null).map(Item::link).toList();
    }

    /**
     * SAS's collection: one result per item, in input order; {@code results} are the job's, one per link
     * of {@link #links}.
     */
    static ObjectNode answer(List<Item> items, List<JobResults.Item> results) {
        ObjectNode answer = NODES.objectNode();
        answer.put("name", "links");
        answer.put("count", items.size());
        ArrayNode out = answer.putArray("items");
        Iterator<JobResults.Item> next = results.iterator();
        for (Item item : items) {
            if (item.refused() != null) {
                out.add(item.refused());
                continue;
            }
            JobResults.Item result = next.next();
            out.add(result.success() ? link(item.given(), result)
                    : itemError(item.given(), result.code(), result.status(), inSasWords(result.message())));
        }
        answer.putArray("links");
        answer.put("version", VERSION);
        return answer;
    }

    /** SAS's error object for an error of the whole request. */
    static ObjectNode error(ApiError error) {
        ObjectNode node = NODES.objectNode();
        node.put("errorCode", error.code());
        node.put("message", error.message());
        ArrayNode details = node.putArray("details");
        error.info().forEach((key, value) -> details.add(key + ": " + value));
        node.put("httpStatusCode", error.status());
        node.put("version", VERSION);
        return node;
    }

    private static ObjectNode link(JsonNode given, JobResults.Item result) {
        ObjectNode link = NODES.objectNode();
        link.put("id", result.id());
        link.put("relationshipTypeName", text(given, "relationshipTypeName"));
        link.put("fromId", canonical(text(given, "fromId")));
        link.put("fromEntityType", text(given, "fromEntityType"));
        link.put("toId", canonical(text(given, "toId")));
        link.put("toEntityType", text(given, "toEntityType"));
        link.put("operation", result.operation());
        return link;
    }

    /** An item's result when it failed: {@code {"error": {...}}}, its details naming what the item gave. */
    private static ObjectNode itemError(JsonNode given, int code, int status, String message) {
        ObjectNode item = NODES.objectNode();
        ObjectNode error = item.putObject("error");
        error.put("errorCode", code);
        error.put("message", message);
        ArrayNode details = error.putArray("details");
        detail(details, "From Entity Type", given, "fromEntityType");
        detail(details, "From Entity ID", given, "fromId");
        detail(details, "To Entity Type", given, "toEntityType");
        detail(details, "To Entity ID", given, "toId");
        detail(details, "Relationship Type", given, "relationshipTypeName");
        detail(details, "Link ID", given, "id");
        error.put("httpStatusCode", status);
        error.put("version", VERSION);
        return item;
    }

    private static void detail(ArrayNode details, String label, JsonNode given, String field) {
        String value = text(given, field);
        if (value != null) {
            details.add(label + ": " + value);
        }
    }

    /** The engine's message with SAS's names for the ends: from and to, not input and output. */
    static String inSasWords(String message) {
        if (message.startsWith("Input entity")) {
            return "From entity" + message.substring("Input entity".length());
        }
        if (message.startsWith("Output entity")) {
            return "To entity" + message.substring("Output entity".length());
        }
        if (message.startsWith("input: ")) {
            return "fromId: " + message.substring("input: ".length());
        }
        if (message.startsWith("output: ")) {
            return "toId: " + message.substring("output: ".length());
        }
        return message;
    }

    /** An id as the service writes ids: the canonical UUID form; anything else as given. */
    private static String canonical(String id) {
        UUID parsed = EntityIds.parse(id);
        return parsed == null ? id : parsed.toString();
    }

    private static String text(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.textValue().isEmpty() ? value.textValue() : null;
    }
}
