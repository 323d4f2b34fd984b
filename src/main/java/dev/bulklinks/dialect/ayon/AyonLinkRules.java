package dev.bulklinks.dialect.ayon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulklinks.api.ApiError;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.job.ItemOutcome.Failed;
import dev.bulklinks.job.Submitter;
import dev.bulklinks.link.EntityRef;
import dev.bulklinks.link.LinkItem;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * AYON's checks on links, statuses and messages as ynput/ayon-backend's {@code api/links} answers them, in
 * its order: those it makes before reading the database (type given, allowed, three parts, not an entity
 * linked to itself) are made here; the rest come from our own checks ({@link dev.bulklinks.link.LinkRules},
 * run by the link batch or the job) and are translated: an end that is missing, or not of the type's entity
 * type (AYON looks it up in that type's table), is not found (404); a type not registered is "Unsupported
 * link type." (400); an id taken is a conflict (409).
 */
final class AyonLinkRules {

    /** AYON's entity types, the only input and output types of its link types. */
    static final List<String> ENTITY_TYPES = List.of("folder", "product", "version", "representation", "task");
    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9_]([a-zA-Z0-9_.-]*[a-zA-Z0-9_])?$");
    private static final String FORMAT = "Link type must be in the format 'name|input_type|output_type'";

    private AyonLinkRules() {
    }

    /** A link as AYON sends it, read: ids parsed, the type under whichever of its three names it came. */
    record Link(LinkItem item, String type, UUID input, UUID output, UUID id) {

        /** The type's three parts, or null when it does not have three. */
        String[] parts() {
            if (type == null) {
                return null;
            }
            String[] parts = type.split("\\|", -1);
            return parts.length == 3 ? parts : null;
        }
    }

    /** Refuses (400) a link type in a path that AYON refuses: not three parts, or not AYON's entity types. */
    static void requireType(String type) {
        String[] parts = type.split("\\|", -1);
        if (parts.length != 3) {
            throw ApiException.badRequest(FORMAT);
        }
        if (!ENTITY_TYPES.contains(parts[1])) {
            throw ApiException.badRequest("Link type input type must be one of 'folder', 'product', 'version',"
                    + " 'representation', or 'task'");
        }
        if (!ENTITY_TYPES.contains(parts[2])) {
            throw ApiException.badRequest("Link type output type must be one of 'folder', 'product', 'version',"
                    + " 'representation', or 'task'");
        }
        if (!NAME.matcher(parts[0]).matches() || parts[0].length() > 64) {
            throw ApiException.badRequest("Link type name '" + parts[0] + "' must be letters, digits, '_', and '.' or"
                    + " '-' inside, up to 64 characters");
        }
    }

    /**
     * Reads one link of a body ({@code where}: "" for a single link, "links[3]: " in bulk); 400 when it is not
     * an object or its ids are missing or malformed, as AYON's body validation answers before any check.
     */
    static Link read(JsonNode body, String where) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest(where + "send the link as a JSON object: {\"input\", \"output\", \"linkType\"}.");
        }
        UUID input = id(body, "input", where, true);
        UUID output = id(body, "output", where, true);
        UUID id = id(body, "id", where, false);
        String type = text(body, "linkType", where);
        if (type == null) {
            type = text(body, "link_type", where);
        }
        if (type == null) {
            type = text(body, "link", where);
        }
        String name = text(body, "name", where);
        JsonNode data = body.get("data");
        if (data != null && !data.isNull() && !data.isObject()) {
            throw ApiException.badRequest(where + "data must be an object.");
        }
        LinkItem item = new LinkItem(EntityRef.of(input.toString()), EntityRef.of(output.toString()), type,
                data == null || data.isNull() ? null : (ObjectNode) data, id == null ? null : id.toString(), null, name);
        return new Link(item, type, input, output, id);
    }

    /** AYON's checks before the database, on one link, in AYON's order. */
    static void checkAlone(Link link, Submitter submitter) {
        if (link.type() == null) {
            throw ApiException.badRequest("Link type is not specified");
        }
        if (!submitter.mayUse(link.type())) {
            throw ApiException.forbidden("You do not have permission to create this link type.");
        }
        String[] parts = link.parts();
        if (parts == null) {
            throw ApiException.badRequest(FORMAT);
        }
        if (parts[1].equals(parts[2]) && link.input().equals(link.output())) {
            throw ApiException.badRequest("Cannot link an entity to itself.");
        }
    }

    /**
     * AYON's answer to a link our checks refused: {@code types} holds the entity types of its ends that exist;
     * {@code conflict} is the message of a taken id.
     */
    static ApiException refusal(Failed failed, Link link, Map<UUID, String> types, String conflict) {
        if (failed.code() == 409) {
            return ApiException.conflict(conflict);
        }
        String[] parts = link.parts();
        if (failed.code() == 404 || failed.code() == ApiError.VALIDATION || unsupported(failed)) {
            if (!parts[1].equals(types.get(link.input()))) {
                return ApiException.notFound("Input entity " + AyonIds.hex(link.input()) + " not found.");
            }
            if (!parts[2].equals(types.get(link.output()))) {
                return ApiException.notFound("Output entity " + AyonIds.hex(link.output()) + " not found.");
            }
            return ApiException.badRequest("Unsupported link type.");
        }
        if (failed.code() == 400 && link.input().equals(link.output())) {
            return ApiException.badRequest("Cannot link an entity to itself.");
        }
        return new ApiException(new ApiError(failed.code(), failed.message(), null));
    }

    /** Whether our checks found the type malformed (a part with characters AYON's names never hold): never registered. */
    static boolean unsupported(Failed failed) {
        return failed.code() == 400 && failed.details().equals(List.of("linkType"));
    }

    /** The entity ids a link names, for one query of their types. */
    static Set<UUID> ends(List<Link> links) {
        Set<UUID> ends = new java.util.HashSet<>();
        for (Link link : links) {
            ends.add(link.input());
            ends.add(link.output());
        }
        return ends;
    }

    private static UUID id(JsonNode body, String field, String where, boolean required) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw ApiException.badRequest(where + field + " is required: the id of an entity, 32 hex digits.");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest(where + field + " must be a string of 32 hex digits.");
        }
        return AyonIds.require(where + field, value.textValue());
    }

    private static String text(JsonNode body, String field, String where) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest(where + field + " must be a string.");
        }
        return value.textValue();
    }
}
