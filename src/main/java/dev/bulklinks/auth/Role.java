package dev.bulklinks.auth;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A member's role in a project, as {@code membership.role} stores it (mirrored by its CHECK). Admins
 * hold no role: they may do everything everywhere.
 */
public enum Role {
    /** Uses the project: entities, links of the types its allow-list holds (all without one), jobs. */
    MEMBER,
    /**
     * A member that may also register and delete link types: those its allow-list holds, or all
     * without one, since deleting a type deletes every link of it.
     */
    MANAGER;

    /** The name in bodies, answers and the database. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role called {@code name}, or null when there is none. */
    public static Role of(String name) {
        for (Role role : values()) {
            if (role.wireName().equals(name)) {
                return role;
            }
        }
        return null;
    }

    /** The names a caller may send, for messages: "member, manager". */
    public static String names() {
        return Arrays.stream(values()).map(Role::wireName).collect(Collectors.joining(", "));
    }
}
