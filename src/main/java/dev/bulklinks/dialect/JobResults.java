package dev.bulklinks.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulklinks.api.ApiError;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.job.ResultsRepository;
import dev.bulklinks.job.JobStatus;
import dev.bulklinks.job.JobView;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-item results of a finished job, read for a dialect's synchronous answer: every item, in input
 * order, as {@code GET .../jobs/{token}/results} answers them.
 */
@ApplicationScoped
public class JobResults {

    /** Results read at once. */
    private static final int PAGE = 1000;

    private final ResultsRepository jobs;

    JobResults(ResultsRepository jobs) {
        this.jobs = jobs;
    }

    /**
     * What became of one item: {@code id} and {@code operation} (CREATE, UPDATE) when it succeeded, else
     * {@code code} (the HTTP status a single call would answer, or 1001 for 422), {@code message} and
     * {@code details}.
     */
    public record Item(boolean success, String id, String operation, int code, String message, List<String> details) {

        /** The HTTP status of a failure: its code, or 422 for an application code. */
        public int status() {
            return new ApiError(code, message, null).status();
        }

        static Item of(ObjectNode result) {
            if (result.path("success").asBoolean(false)) {
                return new Item(true, result.path("id").asText(null), result.path("operation").asText(null), 0, null,
                        List.of());
            }
            JsonNode error = result.get("error");
            if (error == null) {
                // Never run: its job was cancelled first.
                return new Item(false, null, null, 409, "The job was cancelled before this item ran.", List.of());
            }
            List<String> details = new ArrayList<>();
            error.path("details").forEach(detail -> details.add(detail.asText()));
            return new Item(false, null, null, error.path("code").asInt(500), error.path("message").asText(),
                    List.copyOf(details));
        }
    }

    /**
     * Every item's result of {@code job}, which has ended, in input order. A rejected job (it wrote
     * nothing) is thrown as its error, for the dialect to answer as a whole-request error.
     */
    public List<Item> of(JobView job) throws SQLException {
        if (job.status() == JobStatus.REJECTED) {
            throw new ApiException(rejection(job.error()));
        }
        List<Item> items = new ArrayList<>(job.info().total());
        while (items.size() < job.info().total()) {
            List<ObjectNode> page = jobs.resultsByIndex(job, items.size(), PAGE).items();
            if (page.isEmpty()) {
                break;
            }
            page.forEach(result -> items.add(Item.of(result)));
        }
        return items;
    }

    private static ApiError rejection(JsonNode error) {
        if (error == null || !error.isObject()) {
            return new ApiError(422, "The job was rejected and wrote nothing.", null);
        }
        Map<String, Object> info = new HashMap<>();
        error.path("info").fields().forEachRemaining(field -> info.put(field.getKey(), field.getValue()));
        return new ApiError(error.path("code").asInt(422), error.path("message").asText("The job was rejected."), info);
    }
}
