package dev.bulklinks.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * A job as {@code GET .../jobs/{token}} shows it. Times are Unix seconds with fractions, as Unicat
 * sends them; {@code error} says why a rejected job was refused, as an error {@code result} object.
 */
@JsonPropertyOrder({"job.token", "project_gid", "job", "status", "info", "options", "submitted_by", "created_on",
        "updated_on", "started_on", "finished_on", "error"})
public record JobView(
        @JsonProperty("job.token") UUID token,
        @JsonProperty("project_gid") String project,
        @JsonProperty("job") JobKind kind,
        JobStatus status,
        Info info,
        JsonNode options,
        @JsonProperty("created_on") Instant createdOn,
        @JsonProperty("updated_on") Instant updatedOn,
        @JsonProperty("started_on") Instant startedOn,
        @JsonProperty("finished_on") Instant finishedOn,
        JsonNode error,
        @JsonIgnore long seq,
        @JsonProperty("submitted_by") String submittedBy) {

    /** The counters; {@code total = remaining + succeeded + failed} at every moment. */
    public record Info(int total, int remaining, int succeeded, int failed) {
    }
}
