package dev.bulklinks.link;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulklinks.entity.EntityIds;

/**
 * One link as a caller sends it: to {@code POST .../links}, or as an item of a bulk job. Ids stay
 * text here, so that a malformed one fails its item rather than the whole request.
 * {@code link} is accepted as the old name of {@code linkType}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LinkItem(EntityRef input, EntityRef output, String linkType, ObjectNode data,
        String id, Integer position, String name) {

    /**
     * The item as read from JSON, where the type may come as {@code linkType} or as its old name
     * {@code link}. Both with different values is a malformed request: neither is silently chosen.
     */
    @JsonCreator
    static LinkItem read(@JsonProperty("input") EntityRef input, @JsonProperty("output") EntityRef output,
            @JsonProperty("linkType") String linkType, @JsonProperty("link") String link,
            @JsonProperty("data") ObjectNode data, @JsonProperty("id") String id,
            @JsonProperty("position") Integer position, @JsonProperty("name") String name) {
        if (linkType != null && link != null && !linkType.equals(link)) {
            throw new IllegalArgumentException("link and linkType are both given, with different values ('"
                    + EntityIds.abbreviate(link) + "' and '" + EntityIds.abbreviate(linkType)
                    + "'); send linkType alone (link is its old name).");
        }
        return new LinkItem(input, output, linkType != null ? linkType : link, data, id, position, name);
    }

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
