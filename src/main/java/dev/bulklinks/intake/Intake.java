package dev.bulklinks.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.api.Causes;
import dev.bulklinks.api.ClosedConnection;
import dev.bulklinks.api.LimitedInputStream;
import dev.bulklinks.job.ChunkWriter;
import dev.bulklinks.job.JobKind;
import dev.bulklinks.job.JobLog;
import dev.bulklinks.auth.CurrentCaller;
import dev.bulklinks.auth.SubmissionLimit;
import dev.bulklinks.job.IntakeRepository;
import dev.bulklinks.job.Submitter;
import dev.bulklinks.job.JobSubmitted;
import dev.bulklinks.job.JobView;
import dev.bulklinks.webhook.Callbacks;
import dev.bulklinks.link.LinkItem;
import dev.bulklinks.project.Projects;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import dev.bulklinks.api.ApiError;
import dev.bulklinks.api.Envelope;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Stores a bulk submission as a queued job: the job row, then every item, streamed into chunks with
 * COPY, in one transaction (a large body's chunks mostly staged before it, see {@link Stager}). Either
 * the whole job is stored and the caller gets its token, or nothing is and the caller gets the error.
 */
@ApplicationScoped
public class Intake {

    private static final Logger LOG = Logger.getLogger(Intake.class);
    /** The largest body read by the request's thread alone, by its Content-Length (not compressed): one network buffer. */
    private static final long SMALL_BODY = 64 * 1024;

    private final IntakeRepository jobs;
    private final Projects projects;
    private final IntakeConfig config;
    private final ObjectMapper json;
    private final BodySpooler spooler;
    private final ExecutorService helpers;
    private final Event<JobSubmitted> submitted;
    private final MeterRegistry metrics;
    private final IdempotencyKeys keys;
    private final CurrentCaller caller;
    private final SubmissionLimit limit;
    private final Uploads uploads;
    private final Path spoolDir;
    private final Callbacks callbacks;

    Intake(IntakeRepository jobs, Projects projects, IntakeConfig config, ObjectMapper json, Event<JobSubmitted> submitted,
            MeterRegistry metrics, IdempotencyKeys keys, CurrentCaller caller, SubmissionLimit limit, Uploads uploads,
            Callbacks callbacks) {
        this.callbacks = callbacks;
        this.uploads = uploads;
        this.caller = caller;
        this.limit = limit;
        this.jobs = jobs;
        this.projects = projects;
        this.config = config;
        this.json = json;
        // Three helper threads an upload at most (one reads its body ahead, one writes its items back, one
        // stages its chunks), and no more uploads than max-concurrent (Uploads).
        this.helpers = new ThreadPoolExecutor(0, 3 * config.maxConcurrent(), 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "bulklinks-intake-helper");
                    thread.setDaemon(true);
                    return thread;
                });
        this.spooler = new BodySpooler(json, config.maxItemSize().asLongValue(), config.maxItems(), helpers);
        this.spoolDir = config.spoolDir().orElse(Path.of(System.getProperty("java.io.tmpdir"), "bulk-links-spool"));
        this.submitted = submitted;
        this.metrics = metrics;
        this.keys = keys;
    }

    @PreDestroy
    void stop() {
        helpers.shutdownNow();
    }

    /** How a body of one kind is read. */
    record Submission<T>(JobKind kind, ItemSpec<T> spec, Function<Map<String, JsonNode>, BulkOptions> options) {
    }

    /**
     * One request: its body, how it is framed, the options given in its query, and its
     * Idempotency-Key when it has one.
     */
    record Upload(String project, InputStream body, Format format, String contentEncoding, Long contentLength,
            Map<String, String> query, String idempotencyKey) {
    }

    /** How a bulk body is framed, from its Content-Type. */
    enum Format {
        /** A JSON object holding the item array and the options. */
        JSON,
        /** One JSON item a line; options in the query. */
        NDJSON,
        /** A header row naming the fields, then one item a row (RFC 4180); options in the query. */
        CSV;

        static final String NDJSON_TYPE = "application/x-ndjson";
        static final String CSV_TYPE = "text/csv";

        static Format of(String contentType) {
            String type = contentType == null ? "" : contentType.toLowerCase(java.util.Locale.ROOT);
            return type.startsWith(NDJSON_TYPE) ? NDJSON : type.startsWith(CSV_TYPE) ? CSV : JSON;
        }
    }

    /** The job a submission is stored as; {@code replayed} when an earlier one with the same key made it. */
    public record Accepted(UUID token, boolean replayed) {

        /** 202 with the token, and the job's address in Location. */
        public Response toResponse(String project) {
            Response.ResponseBuilder response = Response.accepted(Envelope.of(Map.of("job.token", token)))
                    .location(URI.create("/api/p/" + project + "/jobs/" + token));
            if (replayed) {
                response.header("Idempotent-Replayed", "true");
            }
            return response.build();
        }
    }

    private static final ItemSpec<JsonNode> REQUEST = new ItemSpec<>("request", JsonNode.class, Set.of(), r -> null);

    /**
     * Stores a job whose one item is the whole request (checked already), to be expanded when the
     * job runs. Idempotency keys work as for the bulk bodies.
     */
    public Accepted submitRequest(String project, JobKind kind, Object request, boolean dryRun, String idempotencyKey)
            throws SQLException {
        byte[] line;
        try {
            line = (json.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return submit(new Submission<>(kind, REQUEST, fields -> new BulkOptions(null, null, false, dryRun, null)),
                new Upload(project, new ByteArrayInputStream(line), Format.NDJSON, null, (long) line.length, Map.of(),
                        idempotencyKey));
    }

    /**
     * Stores links that a dialect translated from its system's request as a {@code bulk_upsert_links} job,
     * exactly as {@code POST .../links/bulk} stores the body {@code {"links", "mode", "lookupKey", "atomic"}}:
     * the same reading, checks, limits and Idempotency-Key. {@code mode} is "create" or "upsert",
     * {@code lookupKey} "id" or "sourceId". Answers once every item is stored.
     */
    public Accepted submitLinks(String project, List<LinkItem> links, String mode, String lookupKey, boolean atomic,
            String idempotencyKey) throws SQLException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(BulkOptions.MODE, mode);
        body.put(BulkOptions.LOOKUP_KEY, lookupKey);
        body.put(BulkOptions.ATOMIC, atomic);
        body.put(BulkResource.LINK_ITEMS.arrayField(), links);
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return submit(new Submission<>(JobKind.BULK_UPSERT_LINKS, BulkResource.LINK_ITEMS,
                fields -> BulkOptions.of(fields, Map.of())), new Upload(project, new ByteArrayInputStream(bytes), Format.JSON,
                        null, (long) bytes.length, Map.of(), idempotencyKey));
    }

    /**
     * Reads the upload's body and stores it as a job of its project; answers the job token once the
     * items are committed. With an Idempotency-Key already used for the same request, answers the
     * job that request made, and stores nothing.
     */
    public <T> Accepted submit(Submission<T> submission, Upload upload) throws SQLException {
        String outcome = "failed";
        try {
            Accepted accepted = store(submission, upload);
            outcome = accepted.replayed() ? "replayed" : "accepted";
            return accepted;
        } catch (RuntimeException e) {
            outcome = ClosedConnection.causedBy(e) ? "aborted" : Causes.find(e, ApiException.class) != null ? "refused"
                    : "failed";
            throw e;
        } finally {
            metrics.counter("bulklinks.submissions", "kind", submission.kind().wireName(), "outcome", outcome).increment();
        }
    }

    private <T> Accepted store(Submission<T> submission, Upload upload) throws SQLException {
        long maxBody = config.maxBodySize().asLongValue();
        String advice = "split the import into several jobs.";
        ContentEncoding.check(upload.contentEncoding());
        if (upload.contentLength() != null && upload.contentLength() > maxBody) {
            throw LimitedInputStream.tooLarge(maxBody, advice);
        }
        String key = idempotencyKey(upload.idempotencyKey());
        String project = upload.project();
        Submitter submitter = caller.get().submitter();
        try (Uploads.Slot slot = uploads.start()) {
            projects.require(project);
            Optional<IdempotencyKeys.Stored> earlier = key == null ? Optional.empty()
                    : keys.find(project, submitter.name(), key);
            if (earlier.isEmpty()) {
                limit.check(submitter.apiKey());
            }
            MessageDigest digest = fingerprint(submission.kind(), upload.query());
            InputStream received = slot.watch(upload.body());
            UUID token = UUID.randomUUID();
            // A body the service made itself (a dialect's translation, a request) is in memory, and a small one
            // fits in one network buffer: the request's thread reads and writes back its items alone. Handed to
            // two helper threads, a 10-link body waited for each to be scheduled: on a machine busy with a large
            // import, a few milliseconds each (2026-12-02).
            boolean small = upload.body() instanceof ByteArrayInputStream
                    || upload.contentLength() != null && upload.contentLength() <= SMALL_BODY && upload.contentEncoding() == null;
            try (Spool spool = Spool.create(spoolDir); ReadAhead ahead = small ? ReadAhead.direct(received)
                    : ReadAhead.of(received, helpers);
                    Stager stager = new Stager(jobs, token, spool, config.chunkSize(), helpers,
                            config.timeout().multipliedBy(2).plusMinutes(10), config.timeout())) {
                Spooled spooled;
                try {
                    InputStream decoded = ContentEncoding.decode(upload.contentEncoding(), ahead);
                    // The body's hash tells a repeated request from another one under its Idempotency-Key, and
                    // serves nothing without one: SHA-256 is about 0.1 s of CPU a million link items.
                    LimitedInputStream body = new LimitedInputStream(
                            key == null ? decoded : new DigestInputStream(decoded, digest), maxBody, advice);
                    if (earlier.isPresent()) {
                        drain(body);
                        slot.bodyRead();
                        return replay(key, earlier.get(), digest.digest());
                    }
                    spooled = spool(submission, upload.format(), body, spool, stager, small);
                } catch (IOException | RuntimeException e) {
                    ApiException refused = slot.refusal();
                    if (refused != null) {
                        throw refused;
                    }
                    throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
                }
                slot.bodyRead();
                Accepted accepted = commit(submission.kind(), project, submitter, key, key == null ? null : digest.digest(),
                        token, spool, stager.finish(), spooled);
                if (!accepted.replayed()) {
                    stager.stored();
                }
                return accepted;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What a spooled body holds: its item count and its options, and whether its chunk rows carry the
     * items' original indexes (a retry).
     */
    private record Spooled(int count, ObjectNode options, boolean atomic, boolean originalIndexes) {
    }

    /** The items of a job the service submits itself (a retry): each with the index it had in its own job. */
    public interface Items {
        /** Hands every item to {@code sink}, in order, reading a bounded part of them at a time. */
        void each(ItemSink sink) throws IOException, SQLException;
    }

    /** Takes the items of {@link Items}. */
    public interface ItemSink {
        /** One item, as compact JSON, and the index it had in the job it comes from. */
        void add(byte[] itemJson, int originalIndex) throws IOException;
    }

    /**
     * Stores a job of {@code kind} made of {@code items}, with {@code options} as given, the way a bulk
     * POST's body is stored: for the calling submitter (their submission limit, their allow-list at run
     * time), through the spool and the one transaction of {@link #commit}, one chunk of items in memory
     * at a time. The chunks record each item's original index. With no items at all, nothing is stored
     * and the answer is 409 with {@code whenEmpty}. An Idempotency-Key works as for a bulk body: the same
     * kind and options again answer the first job.
     */
    public Accepted resubmit(String project, JobKind kind, ObjectNode options, boolean atomic, Items items,
            String whenEmpty, String idempotencyKey) throws SQLException {
        String outcome = "failed";
        try {
            projects.require(project);
            String key = idempotencyKey(idempotencyKey);
            Submitter submitter = caller.get().submitter();
            // The request is the same when it asks for the same job's items with the same options.
            byte[] hash = fingerprint(kind, Map.of("options", options.toString())).digest();
            Optional<IdempotencyKeys.Stored> earlier = key == null ? Optional.empty()
                    : keys.find(project, submitter.name(), key);
            if (earlier.isPresent()) {
                Accepted replayed = replay(key, earlier.get(), hash);
                outcome = "replayed";
                return replayed;
            }
            limit.check(submitter.apiKey());
            try (Spool spool = Spool.create(spoolDir)) {
                ChunkWriter writer = new ChunkWriter(spool.output(), config.chunkSize());
                items.each((item, index) -> {
                    if (writer.count() == config.maxItems()) {
                        throw ApiException.tooLarge("More than " + config.maxItems() + " items.");
                    }
                    writer.add(item, index);
                });
                int count = writer.finish();
                if (count == 0) {
                    throw ApiException.conflict(whenEmpty);
                }
                Accepted accepted = commit(kind, project, submitter, key, hash, UUID.randomUUID(), spool,
                        Stager.Staged.NONE, new Spooled(count, options, atomic, true));
                outcome = accepted.replayed() ? "replayed" : "accepted";
                return accepted;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } catch (ApiException e) {
            outcome = "refused";
            throw e;
        } finally {
            metrics.counter("bulklinks.submissions", "kind", kind.wireName(), "outcome", outcome).increment();
        }
    }

    /**
     * Stores the spooled job in one transaction, at disk speed: the job row, its chunks (the staged ones
     * made its own, the rest copied with one COPY), its count and options, and its Idempotency-Key.
     * Nothing of it is visible before the commit.
     */
    private Accepted commit(JobKind kind, String project, Submitter submitter, String key, byte[] hash, UUID token,
            Spool spool, Stager.Staged staged, Spooled spooled) throws SQLException {
        long started = System.nanoTime();
        // Workers may claim every chunk at once, but an atomic job's, which the worker of its first runs.
        JobSubmitted announced = new JobSubmitted(token, spooled.count(),
                spooled.atomic() ? 1 : (spooled.count() + config.chunkSize() - 1) / config.chunkSize());
        try {
            QuarkusTransaction.requiringNew().timeout((int) config.timeout().toSeconds()).call(() -> {
                JobView job = jobs.insert(announced, project, kind, submitter, spooled.options(), spooled.atomic())
                        .orElseThrow(() -> Projects.notFound(project));
                if (staged.chunks() > 0 && jobs.queueStaged(token, job.seq()) != staged.chunks()) {
                    // Deleted as abandoned: the upload and its commit took longer than their chunks are kept.
                    throw ApiException.unavailable("The job's items could not be stored in time; nothing was stored."
                            + " Send it again.");
                }
                jobs.copyChunks(token, job.seq(), staged.chunks(), config.chunkSize(), spool.input(staged.bytes()),
                        spooled.originalIndexes());
                jobs.stored(job);
                if (key != null && !keys.claim(project, submitter.name(), key, hash, token)) {
                    throw new KeyTaken(keys.find(project, submitter.name(), key).orElseThrow(), hash);
                }
                return null;
            });
        } catch (RuntimeException e) {
            KeyTaken taken = Causes.find(e, KeyTaken.class);
            if (taken != null) {
                return replay(key, taken.stored, taken.hash);
            }
            throw e;
        }
        try (JobLog log = JobLog.about(token)) {
            LOG.infof("job %s: %s of %d items submitted to project %s by %s, stored in %d ms (%d chunks staged"
                    + " before)", token, kind.wireName(), spooled.count(), project, submitter.name(),
                    (System.nanoTime() - started) / 1_000_000, staged.chunks());
        }
        submitted.fire(announced);
        return new Accepted(token, false);
    }

    /**
     * Reads the body into the spool, item by item, checking each; answers the number of items and the
     * options. Runs at the client's pace and holds no database connection; every {@code stage-every}
     * chunks it hands to {@code stager}, which copies them on a thread of its own.
     */
    private <T> Spooled spool(Submission<T> submission, Format format, LimitedInputStream body, Spool spool,
            Stager stager, boolean small) throws IOException, SQLException {
        ChunkWriter writer = new ChunkWriter(spool.output(), config.chunkSize(), config.stageEvery(),
                rows -> stager.offer(rows, spool.size()));
        Map<String, JsonNode> fields = spooler.spool(submission.spec(), format, body, writer, small);
        int count = writer.finish();
        if (count == 0) {
            throw ApiException.badRequest(submission.spec().arrayField() + " is empty; send at least one item.");
        }
        BulkOptions options = submission.options().apply(fields);
        callbacks.require(options.callback());
        return new Spooled(count, options.toJson(), options.atomic(), false);
    }

    /** The job an earlier submission with this key made, if this request is the same; 422 if not. */
    private static Accepted replay(String key, IdempotencyKeys.Stored earlier, byte[] hash) {
        if (!Arrays.equals(earlier.hash(), hash)) {
            throw new ApiException(new ApiError(422, "Idempotency-Key '" + key + "' was used for a different request"
                    + " (job " + earlier.job() + "); send a new key for a new submission.",
                    Map.of("job.token", earlier.job().toString())));
        }
        try (JobLog log = JobLog.about(earlier.job())) {
            LOG.infof("job %s: submitted again with Idempotency-Key '%s'; nothing new stored", earlier.job(), key);
        }
        return new Accepted(earlier.job(), true);
    }

    /** Checks an Idempotency-Key header: 1 to 255 visible ASCII characters. Answers null when absent. */
    static String idempotencyKey(String key) {
        if (key == null) {
            return null;
        }
        boolean visible = !key.isEmpty() && key.length() <= 255 && key.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f);
        if (!visible) {
            throw ApiException.badRequest("Idempotency-Key must be 1 to 255 visible ASCII characters, such as a UUID.");
        }
        return key;
    }

    /** A digest that starts with what, besides the body, makes two requests the same: kind and options. */
    private static MessageDigest fingerprint(JobKind kind, Map<String, String> query) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((kind.wireName() + "\n" + new TreeMap<>(query) + "\n").getBytes(StandardCharsets.UTF_8));
            return digest;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void drain(InputStream body) {
        try {
            body.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Another submission with the same key committed first: this one rolls back. */
    private static final class KeyTaken extends RuntimeException {
        private final transient IdempotencyKeys.Stored stored;
        private final byte[] hash;

        KeyTaken(IdempotencyKeys.Stored stored, byte[] hash) {
            super(null, null, false, false);
            this.stored = stored;
            this.hash = hash;
        }
    }
}
