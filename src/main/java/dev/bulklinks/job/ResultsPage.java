package dev.bulklinks.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** One page of per-item results, and how many items the filter matches in all. */
public record ResultsPage(int total, List<ObjectNode> items) {
}
