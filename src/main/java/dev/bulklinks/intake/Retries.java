package dev.bulklinks.intake;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.job.FailedChunk;
import dev.bulklinks.job.JobKind;
import dev.bulklinks.job.JobRepository;
import dev.bulklinks.job.JobStatus;
import dev.bulklinks.job.JobView;
import dev.bulklinks.job.ResultsRepository;
import dev.bulklinks.project.Projects;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Retries the failed items of a finished job: submits a new job of the same kind and options made of
 * those items (all, or those whose error code is one of {@code codes}), unchanged and in their order,
 * through the one intake ({@link Intake#resubmit}). The new job's options name the job it retries
 * ({@code retry_of}) and the codes, and each of its chunks records the index its items had there, so
 * its results carry {@code original_index}.
 *
 * <p>Only items that ran and failed are retried. Items a cancelled job never ran (their result says
 * cancelled) are not failures: someone stopped them, and a retry of failures must not quietly resume
 * what was stopped. The failed items of a cancelled job are retried like any other.
 */
@ApplicationScoped
public class Retries {

    /** Failed chunks read per statement: one chunk of items and outcomes in memory at a time. */
    private static final int PAGE = 1;

    private final Intake intake;
    private final Projects projects;
    private final JobRepository jobs;
    private final ResultsRepository results;
    private final ObjectMapper json;
    /** Reads stored items keeping every number as written (1.10 stays 1.10), so a retried item is unchanged. */
    private final ObjectReader exact;

    Retries(Intake intake, Projects projects, JobRepository jobs, ResultsRepository results, ObjectMapper json) {
        this.intake = intake;
        this.projects = projects;
        this.jobs = jobs;
        this.results = results;
        this.json = json;
        this.exact = json.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .with(JsonNodeFactory.withExactBigDecimals(true));
    }

    /**
     * Submits the retry of job {@code token}'s failed items, those with an error code in {@code codes}
     * when it is not null, with the request's Idempotency-Key (or null). 404 for an unknown job; 409 while it is queued or processing, for a kind whose
     * items are known only when it runs, and when no failed item matches.
     */
    public Intake.Accepted retry(String project, UUID token, Set<Integer> codes, String idempotencyKey)
            throws SQLException {
        projects.require(project);
        JobView job = jobs.find(project, token).orElseThrow(() -> ApiException.notFound(
                "Job " + token + " not found in project '" + project + "'."));
        if (!job.status().isFinal()) {
            throw ApiException.conflict("Job " + token + " is " + job.status().wireName() + "; retry its failed items"
                    + " once it is finished (done, rejected or cancelled).");
        }
        if (job.kind() == JobKind.BULK_LINK_RECORDS) {
            throw ApiException.conflict("Job " + token + " links a selection of records, whose items are found when"
                    + " it runs; submit its request again instead.");
        }
        ObjectNode options = job.options() instanceof ObjectNode stored ? stored.deepCopy()
                : JsonNodeFactory.instance.objectNode();
        options.remove("codes");
        options.put("retry_of", token.toString());
        if (codes != null) {
            ArrayNode list = options.putArray("codes");
            codes.stream().sorted().forEach(list::add);
        }
        String none = "Job " + token + " has no failed items" + (codes == null ? ""
                : " with error code " + codes.stream().sorted().map(String::valueOf).collect(Collectors.joining(" or ")))
                + "; there is nothing to retry.";
        return intake.resubmit(project, job.kind(), options, options.path("atomic").asBoolean(false),
                sink -> failedItems(token, codes, sink), none, idempotencyKey);
    }

    /** Hands each failed item of the job that matches {@code codes} to {@code sink}, in order, a chunk at a time. */
    private void failedItems(UUID job, Set<Integer> codes, Intake.ItemSink sink) throws IOException, SQLException {
        int after = -1;
        for (List<FailedChunk> page = results.chunksWithFailures(job, after, PAGE); !page.isEmpty();
                page = results.chunksWithFailures(job, after, PAGE)) {
            for (FailedChunk chunk : page) {
                JsonNode items = exact.readTree(chunk.items());
                JsonNode outcomes = json.readTree(chunk.outcomes());
                for (int i = 0; i < outcomes.size(); i++) {
                    if (matches(outcomes.get(i), codes)) {
                        sink.add(json.writeValueAsBytes(items.get(i)), chunk.firstIndex() + i);
                    }
                }
                after = chunk.chunkNo();
            }
        }
    }

    /** True for the stored outcome of an item that failed, with one of {@code codes} when given. */
    private static boolean matches(JsonNode outcome, Set<Integer> codes) {
        JsonNode error = outcome.get("error");
        return !outcome.path("success").asBoolean(true) && error != null
                && (codes == null || codes.contains(error.path("code").asInt()));
    }
}
