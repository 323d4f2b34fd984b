package dev.bulklinks.link;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** A registered link type, {@code name|input_type|output_type} (AYON), with its data. */
public record LinkType(String project, String linkType, String name, String inputType, String outputType,
        ObjectNode data, Instant createdAt) {
}
