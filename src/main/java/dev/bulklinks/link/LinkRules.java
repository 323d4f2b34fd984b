package dev.bulklinks.link;

import dev.bulklinks.api.ApiError;
import dev.bulklinks.entity.EntityIds;
import dev.bulklinks.entity.EntityRepository.SourceKey;
import dev.bulklinks.entity.EntityRules;
import dev.bulklinks.job.ItemOutcome.Failed;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The checks a link passes before it is written, in the contract's order, shared by single create
 * (where the code becomes the HTTP status) and bulk jobs (where it becomes the item's error). They
 * ask {@link Facts}, which a batch fills with one query per kind of fact.
 */
public final class LinkRules {

    /** Longest link name. */
    public static final int MAX_NAME = 1024;

    private LinkRules() {
    }

    /** What the database says about the entities, types and ids a batch mentions. */
    public interface Facts {
        /** The type of entity {@code id}, or null when it does not exist in the project. */
        String entityType(UUID id);

        boolean registered(String linkType);

        boolean idTaken(UUID id);

        /** Whether the caller may create links of this type: its allow-list holds it. */
        boolean allowed(String linkType);
    }

    /** A link type split into its three parts. */
    public record TypeParts(String name, String inputType, String outputType) {
    }

    /**
     * A link item with its ids and type read once: each is null when absent or malformed, and
     * {@code parts} is null when the type is missing or malformed; {@code data} is the item's data as
     * compact JSON (null when absent), written out once for its check and its row.
     */
    public record Parsed(LinkItem item, UUID input, UUID output, UUID id, TypeParts parts, boolean byKey, String data) {
    }

    /**
     * Reads the item's ids, and its type with {@code typeParts} (which a batch may cache). With
     * {@code byKey}, ends given as source keys are found with {@code keys} (null when unknown).
     */
    public static Parsed parse(LinkItem item, Function<String, TypeParts> typeParts, boolean byKey,
            Function<SourceKey, UUID> keys) {
        return new Parsed(item, resolve(item.input(), byKey, keys), resolve(item.output(), byKey, keys),
                EntityIds.parse(item.id()), item.linkType() == null ? null : typeParts.apply(item.linkType()), byKey,
                item.data() == null ? null : item.data().toString());
    }

    public static Parsed parse(LinkItem item) {
        return parse(item, LinkRules::parts, false, key -> null);
    }

    private static UUID resolve(EntityRef ref, boolean byKey, Function<SourceKey, UUID> keys) {
        if (ref == null) {
            return null;
        }
        return ref.isKey() ? (byKey ? keys.apply(ref.key()) : null) : EntityIds.parse(ref.id());
    }

    /** The parts of {@code linkType}, or null when it is not {@code name|input_type|output_type}. */
    public static TypeParts parts(String linkType) {
        String[] parts = linkType.split("\\|", -1);
        if (parts.length != 3) {
            return null;
        }
        for (String part : parts) {
            if (!EntityRules.TYPE.matcher(part).matches()) {
                return null;
            }
        }
        return new TypeParts(parts[0], parts[1], parts[2]);
    }

    /** The message for a malformed link type. */
    public static String malformedType(String linkType) {
        return "Link type '" + EntityIds.abbreviate(linkType) + "' must be name|input_type|output_type, for example"
                + " breakdown|folder|folder; each part up to 64 letters, digits, '_', '.' or '-'.";
    }

    /** The first check {@code link} fails, or null when it may be written. */
    public static Failed check(Parsed link, Facts facts) {
        LinkItem item = link.item();
        String type = item.linkType();
        if (type == null || type.isEmpty()) {
            return new Failed(400, "linkType is required, for example \"breakdown|folder|folder\".", List.of("linkType"));
        }
        if (!facts.allowed(type)) {
            return notAllowed("create", type);
        }
        TypeParts parts = link.parts();
        if (parts == null) {
            return new Failed(400, malformedType(type), List.of("linkType"));
        }
        Failed shape = shape(link);
        if (shape != null) {
            return shape;
        }
        UUID input = link.input();
        UUID output = link.output();
        if (input.equals(output)) {
            return new Failed(400, "A link cannot join entity " + input + " to itself.", ends(input, output, type));
        }
        String inputType = facts.entityType(input);
        if (inputType == null) {
            return new Failed(404, "Input entity " + input + " not found.", ends(input, output, type));
        }
        String outputType = facts.entityType(output);
        if (outputType == null) {
            return new Failed(404, "Output entity " + output + " not found.", ends(input, output, type));
        }
        if (!inputType.equals(parts.inputType())) {
            return new Failed(ApiError.VALIDATION, "Input entity " + input + " is a '" + inputType + "', but " + type
                    + " links a '" + parts.inputType() + "' to a '" + parts.outputType() + "'.", ends(input, output, type));
        }
        if (!outputType.equals(parts.outputType())) {
            return new Failed(ApiError.VALIDATION, "Output entity " + output + " is a '" + outputType + "', but " + type
                    + " links a '" + parts.inputType() + "' to a '" + parts.outputType() + "'.", ends(input, output, type));
        }
        if (!facts.registered(type)) {
            return new Failed(ApiError.VALIDATION, "Link type " + type + " is not registered in this project;"
                    + " register it with PUT .../links/types/" + type + ".", List.of("linkType: " + type));
        }
        if (link.id() != null && facts.idTaken(link.id())) {
            return new Failed(409, "Link id " + link.id() + " is already taken.", List.of("id: " + link.id()));
        }
        return null;
    }

    /**
     * The refusal of a link whose type is not on the caller's allow-list, the same for creating and
     * deleting it ({@code verb}): 403 for a single call, the item's error in a job.
     */
    public static Failed notAllowed(String verb, String linkType) {
        return new Failed(403, "You may not " + verb + " links of type " + linkType + ".", List.of("linkType: " + linkType));
    }

    /** Why an end named by the item was not found: a malformed id, a key not allowed, or an unknown key. */
    private static Failed unresolved(String field, String label, EntityRef ref, boolean byKey) {
        if (!ref.isKey()) {
            return new Failed(400, EntityIds.expected(field, ref.id()), List.of(field));
        }
        if (!byKey) {
            return new Failed(400, field + " is a source key; send lookupKey \"sourceId\" to find entities by"
                    + " source and sourceId, or give the entity's id.", List.of(field));
        }
        return new Failed(404, label + " entity with " + ref.describe() + " not found.",
                List.of(field + ": " + ref.describe()));
    }

    /**
     * The details of a failure about a link's ends, made only when it fails: a million links made them
     * for nothing, two UUIDs written out each.
     */
    private static List<String> ends(UUID input, UUID output, String type) {
        return List.of("input: " + input, "output: " + output, "linkType: " + type);
    }

    /** Fields that must be present and well formed, whatever the database holds. */
    private static Failed shape(Parsed link) {
        LinkItem item = link.item();
        if (item.input() == null || item.output() == null) {
            String field = item.input() == null ? "input" : "output";
            return new Failed(400, field + " is required: the id of an entity.", List.of(field));
        }
        if (link.input() == null) {
            return unresolved("input", "Input", item.input(), link.byKey());
        }
        if (link.output() == null) {
            return unresolved("output", "Output", item.output(), link.byKey());
        }
        if (item.id() != null && link.id() == null) {
            return new Failed(400, EntityIds.expected("id", item.id()), List.of("id"));
        }
        if (item.name() != null && item.name().length() > MAX_NAME) {
            return new Failed(400, "name is " + item.name().length() + " characters; the limit is " + MAX_NAME + ".",
                    List.of("name"));
        }
        return EntityRules.dataProblem(link.data());
    }
}
