package dev.bulklinks.dialect.propeller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulklinks.api.ApiError;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.dialect.JobResults;
import dev.bulklinks.entity.EntityRepository.SourceKey;
import dev.bulklinks.link.EntityRef;
import dev.bulklinks.link.LinkItem;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Propeller's "Bulk Links by lookup key", translated both ways. In: each link
 * {@code {"type", "subtype"?, "from": {"class", ...}, "to": {"class", ...}, "priority"?, "isDefault"?,
 * "isActive"?}} becomes a link of the type {@code type|<from class>|<to class>} (a Propeller class is
 * our entity type), whose ends are entity ids ({@code {"class", "id"}}, lookup key {@code id}) or source
 * keys ({@code {"class", "source", "sourceId"}}, lookup key {@code sourceId}); {@code priority} is its
 * position, and {@code subtype}, {@code isDefault} and {@code isActive} go in its data. Stored as an
 * upsert job: the link with the same ends and type is updated, else one is created. Out: one result per
 * link, in input order, {@code success} with the link's {@code id}, or {@code error} in Propeller's words
 * ("Product with id [19815] not found"). A link that cannot be read is refused here; the others go on.
 */
final class PropellerLinks {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private PropellerLinks() {
    }

    /** One link as given: what it becomes, or, when it could not become a link, its answer. */
    record Item(JsonNode given, LinkItem link, ObjectNode refused) {
    }

    /** The lookup key of the path: {@code id} or {@code sourceId}; anything else is 400. */
    static String lookupKey(String given) {
        if (!"id".equals(given) && !"sourceId".equals(given)) {
            throw ApiException.badRequest("The lookup key must be id or sourceId: POST .../links/bulk/id or"
                    + " .../links/bulk/sourceId.");
        }
        return given;
    }

    /** Reads the request's links; a body that is not {@code {"links": [...]}} with one link at least is 400. */
    static List<Item> read(JsonNode body, String lookupKey) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("The body must be a JSON object: {\"links\": [{\"type\", \"from\", \"to\"}]}.");
        }
        JsonNode links = body.get("links");
        if (links == null || !links.isArray()) {
            throw ApiException.badRequest("links is required: an array of links, each {\"type\", \"subtype\"?,"
                    + " \"from\": {\"class\", ...}, \"to\": {\"class\", ...}, \"priority\"?, \"isDefault\"?, \"isActive\"?}.");
        }
        if (links.isEmpty()) {
            throw ApiException.badRequest("links is empty; send at least one link.");
        }
        List<Item> read = new ArrayList<>(links.size());
        for (int i = 0; i < links.size(); i++) {
            read.add(item(links.get(i), i, lookupKey));
        }
        return read;
    }

    private static Item item(JsonNode given, int index, String lookupKey) {
        if (!given.isObject()) {
            return refused(given, lookupKey, "links[" + index + "] must be an object: {\"type\", \"from\", \"to\"}.");
        }
        String type = text(given.get("type"));
        if (type == null) {
            return refused(given, lookupKey, "type is required: the link's type, such as accessories.");
        }
        String problem = firstProblem(given);
        if (problem != null) {
            return refused(given, lookupKey, problem);
        }
        EntityRef from;
        EntityRef to;
        try {
            from = end(given.get("from"), "from", lookupKey);
            to = end(given.get("to"), "to", lookupKey);
        } catch (IllegalArgumentException e) {
            return refused(given, lookupKey, e.getMessage());
        }
        ObjectNode data = NODES.objectNode();
        for (String field : List.of("subtype", "isDefault", "isActive")) {
            JsonNode value = given.get(field);
            if (value != null && !value.isNull()) {
                data.set(field, value);
            }
        }
        JsonNode priority = given.get("priority");
        String linkType = type + "|" + text(given.get("from").get("class")) + "|" + text(given.get("to").get("class"));
        LinkItem link = new LinkItem(from, to, linkType, data.isEmpty() ? null : data, null,
                priority == null || priority.isNull() ? null : priority.intValue(), null);
        return new Item(given, link, null);
    }

    /** What is wrong with the link's fields but its ends' keys, or null. */
    private static String firstProblem(JsonNode given) {
        JsonNode subtype = given.get("subtype");
        if (subtype != null && !subtype.isNull() && !subtype.isTextual()) {
            return "subtype must be a string.";
        }
        JsonNode priority = given.get("priority");
        if (priority != null && !priority.isNull() && !(priority.isIntegralNumber() && priority.canConvertToInt())) {
            return "priority must be a whole number.";
        }
        for (String flag : List.of("isDefault", "isActive")) {
            JsonNode value = given.get(flag);
            if (value != null && !value.isNull() && !value.isBoolean()) {
                return flag + " must be true or false.";
            }
        }
        for (String end : List.of("from", "to")) {
            JsonNode node = given.get(end);
            if (node == null || !node.isObject()) {
                return end + " is required: {\"class\", \"id\"}, or {\"class\", \"source\", \"sourceId\"} with lookup key sourceId.";
            }
            if (text(node.get("class")) == null) {
                return end + ".class is required: the entity's class, such as product.";
            }
        }
        return null;
    }

    /** An end of the link as the engine takes it: an id, or with lookup key sourceId a source key. */
    private static EntityRef end(JsonNode node, String name, String lookupKey) {
        String sourceId = key(node.get("sourceId"));
        String source = text(node.get("source"));
        if (lookupKey.equals("sourceId") && sourceId != null && source != null) {
            return new EntityRef(null, new SourceKey(source, sourceId));
        }
        String id = key(node.get("id"));
        if (id != null) {
            return EntityRef.of(id);
        }
        throw new IllegalArgumentException(lookupKey.equals("sourceId")
                ? name + ".source and " + name + ".sourceId are required with lookup key sourceId."
                : name + ".id is required with lookup key id (or send the link to .../links/bulk/sourceId with "
                        + name + ".source and " + name + ".sourceId).");
    }

    /** The links to store: those not refused, in input order. */
    static List<LinkItem> links(List<Item> items) {
        return items.stream().filter(item -> item.link() != null).map(Item::link).toList();
    }

    /** Propeller's answer: one result per link, in input order; {@code results} are the job's, one per link of {@link #links}. */
    static ObjectNode answer(List<Item> items, List<JobResults.Item> results, String lookupKey) {
        ObjectNode answer = NODES.objectNode();
        ArrayNode data = answer.putArray("data");
        Iterator<JobResults.Item> next = results.iterator();
        for (Item item : items) {
            if (item.refused() != null) {
                data.add(item.refused());
                continue;
            }
            JobResults.Item result = next.next();
            ObjectNode out = NODES.objectNode();
            out.put("success", result.success());
            if (result.success()) {
                out.put("id", result.id());
            } else {
                out.put("error", inPropellerWords(item, result));
            }
            ends(out, item.given(), lookupKey);
            data.add(out);
        }
        answer.putArray("messages").add("Completed");
        answer.put("total", items.size());
        return answer;
    }

    /** Propeller's error for an error of the whole request: {@code {"error": {"code", "status", "type", "messages"}}}. */
    static ObjectNode error(ApiError error) {
        ObjectNode node = NODES.objectNode();
        ObjectNode body = node.putObject("error");
        body.put("code", error.code());
        body.put("status", error.status());
        body.put("type", switch (error.status()) {
            case 400 -> "BadRequest";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 408 -> "RequestTimeout";
            case 409 -> "Conflict";
            case 413 -> "PayloadTooLarge";
            case 415 -> "UnsupportedMediaType";
            case 422 -> "ValidationError";
            case 429 -> "TooManyRequests";
            case 503 -> "ServiceUnavailable";
            default -> error.status() >= 500 ? "InternalServerError" : "Error";
        });
        body.putArray("messages").add(error.message());
        return node;
    }

    private static Item refused(JsonNode given, String lookupKey, String message) {
        ObjectNode out = NODES.objectNode();
        out.put("success", false);
        out.put("error", message);
        ends(out, given, lookupKey);
        return new Item(given, null, out);
    }

    private static void ends(ObjectNode out, JsonNode given, String lookupKey) {
        out.put("lookupKey", lookupKey);
        out.set("from", given.isObject() && given.has("from") ? given.get("from") : NODES.nullNode());
        out.set("to", given.isObject() && given.has("to") ? given.get("to") : NODES.nullNode());
    }

    /**
     * The engine's message, in Propeller's words where it is about an end that names no entity:
     * "Customer with id [19815] not found" (an id that is not ours reads the same: it names no entity).
     */
    static String inPropellerWords(Item item, JobResults.Item result) {
        String end = null;
        if (result.code() == 404) {
            end = result.message().startsWith("Input entity") ? "from"
                    : result.message().startsWith("Output entity") ? "to" : null;
        } else if (result.code() == 400 && result.details().size() == 1) {
            end = switch (result.details().get(0)) {
                case "input" -> "from";
                case "output" -> "to";
                default -> null;
            };
        }
        if (end == null) {
            return result.message();
        }
        JsonNode node = item.given().get(end);
        EntityRef ref = end.equals("from") ? item.link().input() : item.link().output();
        String named = ref.isKey() ? "source [" + ref.key().source() + "] and sourceId [" + ref.key().sourceId() + "]"
                : "id [" + ref.id() + "]";
        return className(text(node.get("class"))) + " with " + named + " not found";
    }

    /** A class as Propeller names it in messages: "product" is "Product". */
    private static String className(String type) {
        return type.substring(0, 1).toUpperCase(Locale.ROOT) + type.substring(1).toLowerCase(Locale.ROOT);
    }

    private static String text(JsonNode value) {
        return value != null && value.isTextual() && !value.textValue().isEmpty() ? value.textValue() : null;
    }

    /** A key as text: Propeller's ids are numbers, and ours are strings. */
    private static String key(JsonNode value) {
        if (value != null && value.isIntegralNumber()) {
            return value.asText();
        }
        return text(value);
    }
}
