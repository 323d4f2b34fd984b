package dev.bulklinks.entity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;

/**
 * An entity as stored, for reading. Writes go through {@link EntityRepository}, set-wise, so that a
 * single create and a bulk import follow one path.
 */
public record EntityRecord(String project, UUID id, String type, String name, UUID parent, long position,
        String source, String sourceId, ObjectNode data, Instant createdAt, Instant updatedAt) {
}
