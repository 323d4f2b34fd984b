package dev.bulklinks.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.entity.EntityIds;
import dev.bulklinks.link.LinkRules;
import java.util.UUID;

/**
 * Unicat's bulk link: link {@code parent} (the input) to every record of {@code selection} (the
 * outputs) with {@code linkType}, placed before {@code before_record} among the parent's links of
 * that type, else after them. {@code ordering}: {@code selection} (default) keeps the selection's
 * order, {@code name} orders the selected records by name. Unicat's client sends no
 * {@code linkType}: the project's default is then stored in its place, which may be a bare name
 * (each link's type is then made from the entity types of its ends, see {@link RecordLinkJob}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecordLinkRequest(String parent, JsonNode selection, String linkType,
        @JsonProperty("before_record") String beforeRecord, String ordering, Boolean dryRun) {

    /**
     * Checks the request as a client sends it, {@code linkType} optional; answers the selection read.
     * 400, or 422 code 1006 for the selection.
     */
    public Selection check() {
        if (linkType != null && LinkRules.parts(linkType) == null) {
            throw ApiException.badRequest(LinkRules.malformedType(linkType));
        }
        return read();
    }

    /** The same request with {@code linkType} in place of its own. */
    public RecordLinkRequest withLinkType(String linkType) {
        return new RecordLinkRequest(parent, selection, linkType, beforeRecord, ordering, dryRun);
    }

    /** Whether {@code linkType} is a bare name, from which each link's type is made with its ends' entity types. */
    boolean typedByEnds() {
        return LinkRules.parts(linkType) == null;
    }

    /** Checks all but the link type, which as stored may be a bare name; answers the selection read. */
    Selection read() {
        if (parent == null || EntityIds.parse(parent) == null) {
            throw ApiException.badRequest("parent is required: the id of the record the links start from.");
        }
        if (beforeRecord != null && EntityIds.parse(beforeRecord) == null) {
            throw ApiException.badRequest(EntityIds.expected("before_record", beforeRecord));
        }
        if (ordering != null && !ordering.equals("selection") && !ordering.equals("name")) {
            throw ApiException.badRequest("ordering must be \"selection\" (the default) or \"name\".");
        }
        return Selection.read(selection);
    }

    UUID parentId() {
        return EntityIds.parse(parent);
    }

    UUID beforeRecordId() {
        return beforeRecord == null ? null : EntityIds.parse(beforeRecord);
    }

    /** Whether the job is a dry run: every link checked and its result recorded, nothing written. */
    public boolean isDryRun() {
        return Boolean.TRUE.equals(dryRun);
    }

    boolean byName() {
        return "name".equals(ordering);
    }
}
