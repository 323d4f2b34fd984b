package dev.bulklinks.auth;

import dev.bulklinks.job.JobRepository.Submitter;
import java.util.Set;
import java.util.UUID;

/**
 * Who made the request, from a verified token whose key is not revoked.
 *
 * @param linkTypes in the project of the request, the link types the caller may create; null when
 *     any type is allowed (an admin, or a membership without an allow-list)
 */
public record Caller(UUID user, String name, boolean admin, UUID key, Set<String> linkTypes) {

    /** The caller as the submitter of a job, or the author of a single link. */
    public Submitter submitter() {
        return new Submitter(name, key, linkTypes);
    }
}
