package dev.bulklinks.records;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulklinks.api.ApiError;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.entity.EntityIds;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A Unicat selection, read and checked: a list mixing record ids, {@code {"children": id,
 * "exclude": [ids]}} and {@code {"search": {"q", "filter"}, "exclude": [ids]}}. Reading it only checks
 * its shape; it is expanded against the database when the job runs.
 */
public record Selection(List<Part> parts) {

    /** One element of the selection. */
    public sealed interface Part {
    }

    /** A record named by id. */
    public record Record(UUID id) implements Part {
    }

    /** The children of {@code parent}, in their order, but those excluded. */
    public record Children(UUID parent, Set<UUID> exclude) implements Part {
    }

    /** Records whose name contains {@code q} (if given) and that pass every filter, but those excluded. */
    public record Search(String q, List<Filter> filters, Set<UUID> exclude) implements Part {
    }

    /**
     * {@code field op value}: field is {@code type}, {@code name} or {@code data.<key>}; op is
     * {@code =}, {@code !=}, {@code has} (contains the text, ignoring case) or {@code in} (one of a list).
     */
    public record Filter(String field, String op, Object value) {
        /** The key of a {@code data.<key>} field, or null for a column. */
        public String dataKey() {
            return field.startsWith("data.") ? field.substring(5) : null;
        }
    }

    static final Set<String> OPS = Set.of("=", "!=", "has", "in");
    private static final Pattern DATA_FIELD = Pattern.compile("data\\.[A-Za-z0-9_.-]{1,64}");
    /** Most elements in one selection, ids included. */
    static final int MAX_PARTS = 100_000;

    /** Reads {@code node}; an unreadable selection is 422 with code 1006, saying what is wrong. */
    public static Selection read(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw invalid("selection must be a non-empty list of record ids, {\"children\": id} and {\"search\": {...}}.");
        }
        if (node.size() > MAX_PARTS) {
            throw invalid("selection has " + node.size() + " elements; at most " + MAX_PARTS + ".");
        }
        List<Part> parts = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            parts.add(part(node.get(i), "selection[" + i + "]"));
        }
        return new Selection(parts);
    }

    private static Part part(JsonNode node, String where) {
        if (node.isTextual()) {
            return new Record(id(node, where));
        }
        if (!node.isObject()) {
            throw invalid(where + " must be a record id, {\"children\": id} or {\"search\": {...}}.");
        }
        allowOnly(node, where, node.has("children") ? Set.of("children", "exclude") : Set.of("search", "exclude"));
        Set<UUID> exclude = exclude(node.get("exclude"), where + ".exclude");
        if (node.has("children")) {
            return new Children(id(node.get("children"), where + ".children"), exclude);
        }
        if (!node.has("search")) {
            throw invalid(where + " must have \"children\" or \"search\".");
        }
        JsonNode search = node.get("search");
        if (!search.isObject()) {
            throw invalid(where + ".search must be an object: {\"q\": \"text\", \"filter\": [field, op, value]}.");
        }
        allowOnly(search, where + ".search", Set.of("q", "filter"));
        JsonNode q = search.get("q");
        if (q != null && !q.isTextual()) {
            throw invalid(where + ".search.q must be a string.");
        }
        List<Filter> filters = filters(search.get("filter"), where + ".search.filter");
        if ((q == null || q.textValue().isEmpty()) && filters.isEmpty()) {
            throw invalid(where + ".search needs q or a filter; it would select every record.");
        }
        return new Search(q == null || q.textValue().isEmpty() ? null : q.textValue(), filters, exclude);
    }

    /** One filter {@code [field, op, value]}, or a list of them, all of which must hold. */
    private static List<Filter> filters(JsonNode node, String where) {
        List<Filter> filters = new ArrayList<>();
        if (node == null) {
            return filters;
        }
        if (node.isArray() && node.size() > 0 && node.get(0).isArray()) {
            for (int i = 0; i < node.size(); i++) {
                filters.add(filter(node.get(i), where + "[" + i + "]"));
            }
        } else {
            filters.add(filter(node, where));
        }
        return filters;
    }

    private static Filter filter(JsonNode node, String where) {
        if (!node.isArray() || node.size() != 3 || !node.get(0).isTextual() || !node.get(1).isTextual()) {
            throw invalid(where + " must be [field, op, value], for example [\"type\", \"=\", \"product\"].");
        }
        String field = node.get(0).textValue();
        String op = node.get(1).textValue();
        JsonNode value = node.get(2);
        if (!field.equals("type") && !field.equals("name") && !DATA_FIELD.matcher(field).matches()) {
            throw invalid(where + ": the field must be type, name or data.<key>, not '" + EntityIds.abbreviate(field) + "'.");
        }
        if (!OPS.contains(op)) {
            throw invalid(where + ": the op must be =, !=, has or in, not '" + EntityIds.abbreviate(op) + "'.");
        }
        if (op.equals("in")) {
            if (!value.isArray() || value.isEmpty()) {
                throw invalid(where + ": in takes a non-empty list of values.");
            }
            List<String> values = new ArrayList<>();
            for (JsonNode v : value) {
                values.add(scalar(v, where));
            }
            return new Filter(field, op, values);
        }
        return new Filter(field, op, scalar(value, where));
    }

    private static String scalar(JsonNode value, String where) {
        if (!value.isValueNode() || value.isNull()) {
            throw invalid(where + ": the value must be a string, number or boolean.");
        }
        return value.asText();
    }

    private static Set<UUID> exclude(JsonNode node, String where) {
        Set<UUID> ids = new LinkedHashSet<>();
        if (node == null) {
            return ids;
        }
        if (!node.isArray()) {
            throw invalid(where + " must be a list of record ids.");
        }
        for (int i = 0; i < node.size(); i++) {
            ids.add(id(node.get(i), where + "[" + i + "]"));
        }
        return ids;
    }

    private static UUID id(JsonNode node, String where) {
        UUID id = node != null && node.isTextual() ? EntityIds.parse(node.textValue()) : null;
        if (id == null) {
            throw invalid(where + " must be a record id (a UUID).");
        }
        return id;
    }

    private static void allowOnly(JsonNode node, String where, Set<String> allowed) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw invalid("Unknown field '" + EntityIds.abbreviate(name) + "' in " + where + "; allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ".");
            }
        }
    }

    /** A selection that cannot be read, or expanded: 422 with code 1006. */
    public static ApiException invalid(String message) {
        return new ApiException(new ApiError(ApiError.SELECTION, message, Map.of()));
    }
}
