package dev.bulklinks.auth;

import dev.bulklinks.job.Submitter;
import java.util.Set;
import java.util.UUID;

/**
 * Who made the request, from a verified token whose key is not revoked.
 *
 * @param linkTypes in the project of the request, the link types the caller may create and delete links
 *     of; null when any type is allowed (an admin, or a membership without an allow-list)
 * @param manager whether the caller's membership of the request's project has the role {@link Role#MANAGER}
 */
public record Caller(UUID user, String name, boolean admin, UUID key, Set<String> linkTypes, boolean manager) {

    /** The caller as the submitter of a job, or the author of a single link. */
    public Submitter submitter() {
        return new Submitter(name, key, linkTypes);
    }

    /**
     * Whether the caller may register and delete link type {@code linkType} in the request's project: an
     * admin, or a manager whose allow-list holds the type (deleting a type deletes its links, which
     * the allow-list must then allow).
     */
    public boolean managesLinkType(String linkType) {
        return admin || (manager && submitter().mayUse(linkType));
    }
}
