package dev.bulklinks.progress;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One event of the sync feed, as Unicat writes them:
 * {@code {"type": "cc", "cursor", "action", "data_type", "data_key", "data"}}.
 */
@JsonPropertyOrder({"type", "cursor", "action", "data_type", "data_key", "data"})
public record SyncEvent(long cursor, @JsonIgnore String project, String action,
        @JsonProperty("data_type") String dataType, @JsonProperty("data_key") String dataKey, JsonNode data) {

    public static final String JOBS = "jobs";

    /** Always "cc" (a content change), as in Unicat's feed. */
    @JsonProperty("type")
    public String type() {
        return "cc";
    }

    /** True for a job event whose status is done, rejected or cancelled. */
    public boolean isFinalJobStatus() {
        if (!JOBS.equals(dataType) || data == null) {
            return false;
        }
        String status = data.path("status").asText();
        return status.equals("done") || status.equals("rejected") || status.equals("cancelled");
    }
}
