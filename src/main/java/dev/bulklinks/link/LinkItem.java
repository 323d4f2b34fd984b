package dev.bulklinks.link;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One link as a caller sends it: to {@code POST .../links}, or as an item of a bulk job. Ids stay
 * text here, so that a malformed one fails its item rather than the whole request.
 * {@code link} is accepted as the old name of {@code linkType}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LinkItem(EntityRef input, EntityRef output, @JsonAlias("link") String linkType, ObjectNode data,
        String id, Integer position, String name) {

    /**
     * What a bulk request must give for every item, or null when it does: an item missing these is
     * a malformed request (400 for the whole submission), not an item that fails.
     */
    public String missingField() {
        if (input == null) {
            return "input";
        }
        if (output == null) {
            return "output";
        }
        return linkType == null ? "linkType" : null;
    }
}
