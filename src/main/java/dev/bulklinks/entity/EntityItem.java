package dev.bulklinks.entity;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One entity as a caller sends it, to {@code POST .../entities} or in the {@code entities} of a bulk
 * job. Ids stay text here: a malformed one fails its item, not the request.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EntityItem(String id, String type, String name, String parent, String source, String sourceId,
        ObjectNode data) {
}
