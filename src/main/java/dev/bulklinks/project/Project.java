package dev.bulklinks.project;

import java.time.Instant;

/**
 * A namespace: every entity, link type, link and job belongs to one. {@code defaultLinkType} is what
 * {@code POST .../records/bulk/link} uses when the request names no link type: a bare name
 * ({@link Projects#DEFAULT_LINK_TYPE} unless set), each link's type then being
 * {@code name|<parent's type>|<record's type>}; or a whole link type; null when none.
 */
public record Project(String name, Instant createdAt, String defaultLinkType) {
}
