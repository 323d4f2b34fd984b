package dev.bulklinks.job;

import java.util.Set;
import java.util.UUID;

/**
 * Who submitted a job: the user's name (recorded as the author of the links it writes), the API
 * key used, and the link types the user could create and delete links of in the project then (null:
 * every type).
 */
public record Submitter(String name, UUID apiKey, Set<String> linkTypes) {

    /** Whether the submitter may create and delete links of {@code linkType}: its allow-list holds it. */
    public boolean mayUse(String linkType) {
        return linkTypes == null || linkTypes.contains(linkType);
    }
}
