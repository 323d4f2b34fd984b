package dev.bulklinks.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.api.ClosedConnection;
import dev.bulklinks.api.LimitedInputStream;
import dev.bulklinks.job.ChunkWriter;
import dev.bulklinks.job.JobKind;
import dev.bulklinks.job.JobRepository;
import dev.bulklinks.job.JobSubmitted;
import dev.bulklinks.project.Projects;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.io.InputStream;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Stores a bulk submission as a queued job: the job row, then every item, streamed into chunks with
 * one COPY, in one transaction. Either the whole job is stored and the caller gets its token, or
 * nothing is and the caller gets the error.
 */
@ApplicationScoped
public class Intake {

    private static final Logger LOG = Logger.getLogger(Intake.class);

    private final JobRepository jobs;
    private final Projects projects;
    private final IntakeConfig config;
    private final ObjectMapper json;
    private final BodyReader reader;
    private final Event<JobSubmitted> submitted;
    private final MeterRegistry metrics;

    Intake(JobRepository jobs, Projects projects, IntakeConfig config, ObjectMapper json, Event<JobSubmitted> submitted,
            MeterRegistry metrics) {
        this.jobs = jobs;
        this.projects = projects;
        this.config = config;
        this.json = json;
        this.reader = new BodyReader(json, config.maxItemSize().asLongValue());
        this.submitted = submitted;
        this.metrics = metrics;
    }

    /** How a body of one kind is read. */
    record Submission<T>(JobKind kind, ItemSpec<T> spec, Function<Map<String, JsonNode>, BulkOptions> options) {
    }

    /** True when compact JSON holds the escape of the NUL character, which no text column can store. */
    static boolean hasNul(byte[] json) {
        for (int i = json.length - 6; i >= 0; i--) {
            if (json[i] == '\\' && json[i + 1] == 'u' && json[i + 2] == '0' && json[i + 3] == '0'
                    && json[i + 4] == '0' && json[i + 5] == '0' && !escaped(json, i)) {
                return true;
            }
        }
        return false;
    }

    /** True when the backslash at {@code i} is itself escaped by an odd run of backslashes before it. */
    private static boolean escaped(byte[] json, int i) {
        int run = 0;
        for (int j = i - 1; j >= 0 && json[j] == '\\'; j--) {
            run++;
        }
        return run % 2 == 1;
    }

    /**
     * Reads {@code body} (NDJSON when {@code ndjson}) and stores it as a job of {@code project};
     * answers the job token once the items are committed.
     */
    public <T> UUID submit(String project, Submission<T> submission, InputStream body, boolean ndjson,
            Long contentLength) {
        String outcome = "failed";
        try {
            UUID token = store(project, submission, body, ndjson, contentLength);
            outcome = "accepted";
            return token;
        } catch (RuntimeException e) {
            outcome = ClosedConnection.causedBy(e) ? "aborted" : ApiException.in(e) != null ? "refused" : "failed";
            throw e;
        } finally {
            metrics.counter("bulklinks.submissions", "kind", submission.kind().wireName(), "outcome", outcome).increment();
        }
    }

    private <T> UUID store(String project, Submission<T> submission, InputStream body, boolean ndjson,
            Long contentLength) {
        long maxBody = config.maxBodySize().asLongValue();
        String advice = "split the import into several jobs.";
        if (contentLength != null && contentLength > maxBody) {
            throw LimitedInputStream.tooLarge(maxBody, advice);
        }
        LimitedInputStream limited = new LimitedInputStream(body, maxBody, advice);
        long started = System.nanoTime();
        UUID token = UUID.randomUUID();
        int total = QuarkusTransaction.requiringNew().timeout((int) config.timeout().toSeconds()).call(() -> {
            projects.require(project);
            long seq = jobs.insert(token, project, submission.kind(), null);
            Map<String, JsonNode> fields = Map.of();
            int count;
            try (ChunkWriter writer = jobs.chunkWriter(token, seq, config.chunkSize())) {
                BodyReader.Sink<T> sink = item -> {
                    if (writer.count() == config.maxItems()) {
                        throw ApiException.tooLarge("More than " + config.maxItems() + " items; split the import"
                                + " into jobs of at most " + config.maxItems() + ".");
                    }
                    byte[] bytes = json.writeValueAsBytes(item);
                    if (hasNul(bytes)) {
                        throw ApiException.badRequest(submission.spec().arrayField() + "[" + writer.count()
                                + "]: text must be valid UTF-8 without the NUL character (\\u0000).");
                    }
                    writer.add(bytes);
                };
                if (ndjson) {
                    reader.readNdjson(limited, submission.spec(), sink);
                } else {
                    fields = reader.readJson(limited, submission.spec(), sink);
                }
                count = writer.finish();
            }
            if (count == 0) {
                throw ApiException.badRequest(submission.spec().arrayField() + " is empty; send at least one item.");
            }
            BulkOptions options = submission.options().apply(fields);
            jobs.submitted(token, count, options.toJson(), options.atomic());
            return count;
        });
        LOG.infof("job %s: %s of %d items submitted to project %s in %d ms", token, submission.kind().wireName(), total,
                project, (System.nanoTime() - started) / 1_000_000);
        submitted.fire(new JobSubmitted(token));
        return token;
    }
}
