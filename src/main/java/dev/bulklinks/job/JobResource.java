package dev.bulklinks.job;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.api.Envelope;
import dev.bulklinks.api.Connections;
import dev.bulklinks.api.Paging;
import dev.bulklinks.entity.EntityIds;
import dev.bulklinks.project.Projects;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/api/p/{project}/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Jobs", description = "Bulk jobs: their status, their list, and the result of every item.")
public class JobResource {

    private static final int ACTIVITY_POINTS = 90;
    /** A finished job, as GET .../jobs/{token} and the list show it. */
    private static final String DONE_JOB = """
            {"job.token": "77efdebe-5a2b-4c6e-9d61-3f0c2a7b9e10", "project_gid": "demo", "job": "bulk_upsert_links",
             "status": "done", "info": {"total": 2, "remaining": 0, "succeeded": 1, "failed": 1},
             "options": {"mode": "create", "atomic": false, "lookupKey": "id"}, "submitted_by": "pipeline",
             "created_on": 1795552458.592301, "updated_on": 1795552458.669181, "started_on": 1795552458.626396,
             "finished_on": 1795552458.669181, "error": null}""";
    private static final String ONE = "{\"success\": true, \"result\": " + DONE_JOB + ", \"data\": {}}";
    private static final String CANCELLED = """
            {"success": true, "result": {"job.token": "77efdebe-5a2b-4c6e-9d61-3f0c2a7b9e10", "project_gid": "demo", "job": "bulk_upsert_links",
             "status": "cancelled", "info": {"total": 2, "remaining": 1, "succeeded": 1, "failed": 0},
             "options": {"mode": "create", "atomic": false, "lookupKey": "id"}, "submitted_by": "pipeline",
             "created_on": 1795552458.592301, "updated_on": 1795552458.669181, "started_on": 1795552458.626396,
             "finished_on": 1795552458.669181, "error": null}, "data": {}}""";
    private static final String PAGE = "{\"success\": true, \"result\": {\"jobs\": [" + DONE_JOB
            + "], \"next_cursor\": \"1\"}, \"data\": {}}";
    private static final String ACTIVITY = """
            {"success": true, "result": {"step": 10, "points": [
              {"at": 1795552440.125, "processed": 0, "waiting": 0},
              {"at": 1795552450.125, "processed": 0, "waiting": 250000},
              {"at": 1795552460.125, "processed": 38000, "waiting": 212000}
            ]}, "data": {}}""";
    private static final String COUNTS = """
            {"success": true, "result": {"queued": 2, "processing": 1, "done": 1480, "rejected": 3, "cancelled": 12}, "data": {}}""";
    private static final String RESULTS = """
            {"success": true, "result": {"total": 2, "items": [
              {"index": 0, "success": true, "id": "9d2c4f1e-7a6b-4e3d-8c21-5f0a9b8e7d60", "operation": "CREATE"},
              {"index": 1, "success": false, "error": {"code": 404, "message": "Output entity 00000000-0000-4000-8000-000000000000 not found.",
               "details": ["input: 5e0f6a8e-3f7b-4d2a-9a43-2b1c0d9e8f71", "output: 00000000-0000-4000-8000-000000000000",
                           "linkType: breakdown|folder|folder"]}}
            ]}, "data": {}}""";
    /** The example of results.ndjson, set by {@link dev.bulklinks.api.OpenApiContract}: an annotation's example would be read as one JSON value. */
    /** The results.csv example, for links (set as is: an annotation would read it as text anyway). */
    static final String RESULTS_CSV = """
            input,output,linkType,data,position,name,success,id,operation,error_code,error_message
            5e0f6a8e-3f7b-4d2a-9a43-2b1c0d9e8f71,0b4e7f7c-8d1a-4c55-bf2e-6a9d3c2e1f40,breakdown|folder|folder,"{""occurrence"":1}",,,true,8f14e45f-ceea-467a-9575-1b2c3d4e5f60,CREATE,,
            5e0f6a8e-3f7b-4d2a-9a43-2b1c0d9e8f71,5e0f6a8e-3f7b-4d2a-9a43-2b1c0d9e8f71,breakdown|folder|folder,,,,false,,,400,A link cannot join entity 5e0f6a8e-3f7b-4d2a-9a43-2b1c0d9e8f71 to itself.
            """;
    public static final String RESULTS_NDJSON = """
            {"index":0,"success":true,"id":"9d2c4f1e-7a6b-4e3d-8c21-5f0a9b8e7d60","operation":"CREATE"}
            {"index":1,"success":false,"error":{"code":404,"message":"Output entity 00000000-0000-4000-8000-000000000000 not found.","details":["input: 5e0f6a8e-3f7b-4d2a-9a43-2b1c0d9e8f71","output: 00000000-0000-4000-8000-000000000000","linkType: breakdown|folder|folder"]}}
            """;

    private final Projects projects;
    private final JobRepository jobs;
    private final JobStatistics statistics;
    private final ResultsRepository results;
    private final Cancellation cancellation;
    private final ObjectWriter lines;

    JobResource(Projects projects, JobRepository jobs, JobStatistics statistics, ResultsRepository results,
            Cancellation cancellation, ObjectMapper json) {
        this.projects = projects;
        this.jobs = jobs;
        this.statistics = statistics;
        this.results = results;
        this.cancellation = cancellation;
        // No flush per line: each flush makes an HTTP chunk of one line, and a worker thread writing lines faster than the
        // event loop takes them outruns Vert.x's write-queue check (30 slow readers queued over a million one-line
        // chunks, 100 MB of buffers, and ran a 256 MB heap out). Lines go out in buffers of 64 KB instead.
        this.lines = json.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .without(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
    }

    @GET
    @Path("/{token}")
    @Operation(summary = "A job's status", description = "status is queued, processing, done, rejected or"
            + " cancelled; info.total = info.remaining + info.succeeded + info.failed at every moment.")
    @APIResponse(responseCode = "200", description = "The job",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "done, one item failed", value = ONE)))
    public Envelope get(@PathParam("project") String project, @PathParam("token") String token) throws SQLException {
        return Envelope.of(job(project, token));
    }

    @POST
    @Path("/{token}/cancel")
    @Operation(summary = "Cancel a job", description = "Stops a queued or processing job: chunks already committed"
            + " stay, the rest never run (their results say cancelled), and the status becomes cancelled."
            + " Answers the job's status. A job already done, rejected or cancelled answers 409.")
    @APIResponse(responseCode = "200", description = "Cancelled; the job as it stopped",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "cancelled", value = CANCELLED)))
    @APIResponse(responseCode = "409", description = "The job is already done, rejected or cancelled")
    public Envelope cancel(@PathParam("project") String project, @PathParam("token") String token) throws SQLException {
        return Envelope.of(cancellation.cancel(job(project, token)));
    }

    @GET
    @Operation(summary = "The project's jobs, newest first")
    @APIResponse(responseCode = "200", description = "A page of jobs; next_cursor, the cursor parameter of the next page, is null on the last page",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "a page", value = PAGE)))
    public Envelope list(@PathParam("project") String project,
            @Parameter(description = "queued, processing, done, rejected or cancelled") @QueryParam("status") String status,
            @Parameter(description = "The job's kind: bulk_upsert_links, bulk_delete_links, bulk_upsert_entities or"
                    + " bulk_link_records", example = "bulk_upsert_links") @QueryParam("kind") String kind,
            @Parameter(description = "The name of the user who submitted it", example = "pipeline")
            @QueryParam("submitted_by") String submittedBy,
            @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) throws SQLException {
        projects.require(project);
        int size = Paging.limit(limit);
        List<JobView> page = jobs.list(project, new JobRepository.JobFilter(status(status), kind(kind),
                submittedBy == null || submittedBy.isEmpty() ? null : submittedBy), Paging.cursor(cursor), size);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("jobs", page);
        result.put("next_cursor", Paging.nextCursor(page, size, JobView::seq));
        return Envelope.of(result);
    }

    @GET
    @Path("/counts")
    @Operation(summary = "How many jobs the project has in each status", description = "Answers"
            + " {\"queued\": n, \"processing\": n, \"done\": n, \"rejected\": n, \"cancelled\": n}, counted from an"
            + " index of jobs by project and status.")
    @APIResponse(responseCode = "200", description = "Jobs by status; every status is present",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "counts", value = COUNTS)))
    public Envelope counts(@PathParam("project") String project) throws SQLException {
        projects.require(project);
        Map<String, Object> result = new LinkedHashMap<>();
        for (JobStatus status : JobStatus.values()) {
            result.put(status.wireName(), 0L);
        }
        result.putAll(statistics.countByStatus(project));
        return Envelope.of(result);
    }

    @GET
    @Path("/activity")
    @Operation(summary = "Items processed and waiting over the last minutes", description = "90 points, one per"
            + " step, ending now: items processed (succeeded or failed) during each step, and items waiting (in"
            + " chunks queued or running) at its end. The dashboard draws it. Reads only the chunks finished in"
            + " the window and those still waiting, so it stays fast however many jobs the project has.")
    @APIResponse(responseCode = "200", description = "The points, oldest first; step is in seconds",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "a job arriving", value = ACTIVITY)))
    public Envelope activity(@PathParam("project") String project,
            @Parameter(description = "The window, 1 to 60 minutes (default 15)", example = "15") @QueryParam("minutes")
            String minutes) throws SQLException {
        projects.require(project);
        int window = minutes(minutes);
        Duration step = Duration.ofMinutes(window).dividedBy(ACTIVITY_POINTS);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("step", step.toMillis() / 1000.0);
        result.put("points", statistics.activity(project, step, ACTIVITY_POINTS));
        return Envelope.of(result);
    }

    private static int minutes(String minutes) {
        if (minutes == null) {
            return 15;
        }
        try {
            int value = Integer.parseInt(minutes);
            if (value >= 1 && value <= 60) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("minutes must be a whole number from 1 to 60.");
    }

    @GET
    @Path("/{token}/results")
    @Operation(summary = "Per-item results, in input order", description = "Without outcome, offset is an item"
            + " index and items not run yet are marked pending (or cancelled). With outcome=failed (or succeeded), the page"
            + " runs over those items only, and total counts them. The results of a retry (POST .../retry) also give"
            + " original_index, the item's index in the job it retried.")
    @APIResponse(responseCode = "200", description = "A page of results: total items (or items of that outcome), and each item's index and outcome",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "one created, one failed", value = RESULTS)))
    public Envelope results(@PathParam("project") String project, @PathParam("token") String token,
            @QueryParam("offset") String offset, @QueryParam("limit") String limit,
            @Parameter(description = "failed or succeeded") @QueryParam("outcome") String outcome) throws SQLException {
        JobView job = job(project, token);
        int from = Paging.offset(offset);
        int size = Paging.limit(limit);
        Boolean only = outcome(outcome);
        ResultsPage page = only == null ? results.resultsByIndex(job, from, size)
                : results.resultsByOutcome(job, only, from, size);
        return Envelope.of(page);
    }

    @GET
    @Path("/{token}/results.ndjson")
    @Produces("application/x-ndjson")
    @Operation(summary = "Every per-item result, one JSON object a line, in input order", description = "The header"
            + " X-Total-Count gives the number of lines first. Read at any pace: the results are read a page at a"
            + " time, and the service holds nothing in the database between pages. A stream that cannot be whole"
            + " (the job deleted by retention meanwhile, the database gone) is cut off, the connection closed"
            + " without the end of the chunked body, never ended as if it were complete. A retry's lines also give"
            + " original_index, the item's index in the job it retried.")
    public Response resultsStream(@PathParam("project") String project, @PathParam("token") String token,
            @Context HttpServerRequest request) throws SQLException {
        JobView job = job(project, token);
        ResultsStream stream = new ResultsStream(job, (after, limit) -> results.resultChunks(job.token(), after, limit),
                (chunk, sink) -> results.publish(job, chunk, sink), lines, () -> Connections.awaitQueuedWrites(request));
        return Response.ok(body(stream, request)).header("X-Total-Count", stream.total()).build();
    }

    @GET
    @Path("/{token}/results.csv")
    @Produces("text/csv")
    @Operation(summary = "Every per-item result as CSV, with the item it came from", description = "A file a person can"
            + " open, fix and resubmit: the input's own columns first (links: input, output, linkType, data, position,"
            + " name; entities: type, name, parent, source, sourceId, data; deleted links: none), then success, id,"
            + " operation, error_code, error_message. JSON fields are JSON cells. With outcome=failed (or succeeded),"
            + " those items only: the failed rows, fixed, can be posted again as text/csv to the same bulk route, whose"
            + " reading ignores the result columns. X-Total-Count gives the number of rows first. Read at any pace, like"
            + " results.ndjson. 400 for a record link job, whose one item is its whole request.")
    @APIResponse(responseCode = "200", description = "A header row, then one row an item, in input order",
            content = @Content(mediaType = "text/csv", examples = @ExampleObject(name = "one created, one failed", value = RESULTS_CSV)))
    public Response resultsCsv(@PathParam("project") String project, @PathParam("token") String token,
            @Parameter(description = "failed or succeeded: those items only", example = "failed") @QueryParam("outcome") String outcome,
            @Context HttpServerRequest request) throws SQLException {
        JobView job = job(project, token);
        Boolean only = outcome(outcome);
        ResultsCsv csv = ResultsCsv.of(job, only);
        ResultsStream stream = new ResultsStream(job, (after, limit) -> results.resultChunksWithItems(job.token(), after, limit),
                (chunk, sink) -> {
                    List<ObjectNode> published = new ArrayList<>(chunk.itemCount());
                    results.publish(job, chunk, published::add);
                    csv.rows(results.items(chunk), published, sink);
                }, csv.writer(), () -> Connections.awaitQueuedWrites(request));
        int rows = only == null ? stream.total() : only ? job.info().succeeded() : job.info().failed();
        return Response.ok(body(stream, request)).header("X-Total-Count", rows)
                .header("Content-Disposition", "attachment; filename=\"" + job.token() + "-results.csv\"").build();
    }

    /** The stream as an answer's body: before anything was sent a failure is an error answer, after it a cut connection. */
    private static StreamingOutput body(ResultsStream stream, HttpServerRequest request) {
        return out -> {
            try {
                stream.write(out);
            } catch (IOException | RuntimeException e) {
                // Before anything was sent this is an error answer like any other; after, only a cut connection
                // tells the client that the file is not whole.
                if (request.response().headWritten()) {
                    Connections.cut(request);
                }
                throw e;
            }
        };
    }

    private JobView job(String project, String token) throws SQLException {
        projects.require(project);
        UUID id = EntityIds.parse(token);
        if (id == null) {
            throw ApiException.badRequest("'" + EntityIds.abbreviate(token) + "' is not a job token; job tokens are UUIDs.");
        }
        return jobs.find(project, id).orElseThrow(() -> ApiException.notFound(
                "Job " + id + " not found in project '" + project + "'."));
    }

    /** The outcome parameter: true for succeeded, false for failed, null when absent (every result). */
    private static Boolean outcome(String outcome) {
        return outcome == null ? null : switch (outcome) {
            case "failed" -> false;
            case "succeeded" -> true;
            default -> throw ApiException.badRequest("outcome must be failed or succeeded.");
        };
    }

    private static JobKind kind(String kind) {
        if (kind == null || kind.isEmpty()) {
            return null;
        }
        for (JobKind known : JobKind.values()) {
            if (known.wireName().equals(kind)) {
                return known;
            }
        }
        throw ApiException.badRequest("kind must be one of " + String.join(", ",
                java.util.Arrays.stream(JobKind.values()).map(JobKind::wireName).toList()) + ".");
    }

    private static JobStatus status(String status) {
        if (status == null) {
            return null;
        }
        try {
            return JobStatus.fromWire(status);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("status must be one of queued, processing, done, rejected, cancelled.");
        }
    }
}
