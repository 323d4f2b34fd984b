package dev.bulklinks.entity;

import dev.bulklinks.job.ItemOutcome.Failed;
import java.util.List;
import java.util.regex.Pattern;

/** The checks an entity passes before the database is asked anything. */
public final class EntityRules {

    /** Entity types, and each part of a link type: a letter, digit or '_', then up to 63 of those, '.' or '-'. */
    public static final Pattern TYPE = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$");
    /** Longest entity name. */
    public static final int MAX_NAME = 1024;
    /** Longest source or sourceId. */
    public static final int MAX_KEY = 255;
    /** Largest {@code data} object, in characters of compact JSON. */
    public static final int MAX_DATA = 65_536;

    private EntityRules() {
    }

    /** The first problem with the item's own fields, or null. */
    public static Failed check(EntityItem item) {
        if (item.type() == null) {
            return new Failed(400, "type is required, e.g. \"folder\".");
        }
        if (!TYPE.matcher(item.type()).matches()) {
            return new Failed(400, "type '" + EntityIds.abbreviate(item.type()) + "' is not a valid entity type: use"
                    + " up to 64 letters, digits, '_', '.' or '-', starting with a letter, digit or '_'.");
        }
        if (item.name() == null || item.name().isBlank()) {
            return new Failed(400, "name is required and must not be blank.");
        }
        if (item.name().length() > MAX_NAME) {
            return new Failed(400, "name is " + item.name().length() + " characters; the limit is " + MAX_NAME + ".");
        }
        if (item.id() != null && EntityIds.parse(item.id()) == null) {
            return new Failed(400, EntityIds.expected("id", item.id()));
        }
        if (item.parent() != null && EntityIds.parse(item.parent()) == null) {
            return new Failed(400, EntityIds.expected("parent", item.parent()));
        }
        if (item.parent() != null && item.id() != null && EntityIds.parse(item.parent()).equals(EntityIds.parse(item.id()))) {
            return new Failed(400, "An entity cannot be its own parent.");
        }
        if ((item.source() == null) != (item.sourceId() == null)) {
            return new Failed(400, "source and sourceId go together: give both or neither.");
        }
        if (item.source() != null && (item.source().isEmpty() || item.source().length() > MAX_KEY
                || item.sourceId().isEmpty() || item.sourceId().length() > MAX_KEY)) {
            return new Failed(400, "source and sourceId must be 1 to " + MAX_KEY + " characters.");
        }
        return dataProblem(item.data() == null ? null : item.data().toString());
    }

    /** The problem with a {@code data} object given as compact JSON, or null. */
    public static Failed dataProblem(String data) {
        if (data != null && data.length() > MAX_DATA) {
            return new Failed(400, "data is " + data.length() + " characters of JSON; the limit is " + MAX_DATA + ".",
                    List.of("data"));
        }
        return null;
    }
}
