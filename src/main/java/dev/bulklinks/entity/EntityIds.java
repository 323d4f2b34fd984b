package dev.bulklinks.entity;

import java.util.UUID;
import java.util.regex.Pattern;

/** Entity and link ids: canonical UUIDs, or 32 hex digits as AYON writes them. */
public final class EntityIds {

    private static final Pattern CANONICAL = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final Pattern HEX32 = Pattern.compile("^[0-9a-fA-F]{32}$");

    private EntityIds() {
    }

    /** The id, or null when {@code text} is neither form. */
    public static UUID parse(String text) {
        if (text == null) {
            return null;
        }
        if (CANONICAL.matcher(text).matches()) {
            return UUID.fromString(text);
        }
        if (HEX32.matcher(text).matches()) {
            return new UUID(Long.parseUnsignedLong(text.substring(0, 16), 16),
                    Long.parseUnsignedLong(text.substring(16), 16));
        }
        return null;
    }

    /** How to write an id: for messages about a malformed one. */
    public static String expected(String field, String given) {
        return field + ": '" + abbreviate(given) + "' is not an id; use a UUID"
                + " (8-4-4-4-12 hex digits) or 32 hex digits.";
    }

    /** At most 80 characters of caller input, for messages. */
    public static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
