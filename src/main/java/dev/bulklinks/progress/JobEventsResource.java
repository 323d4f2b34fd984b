package dev.bulklinks.progress;

import dev.bulklinks.api.ApiException;
import dev.bulklinks.entity.EntityIds;
import dev.bulklinks.job.JobRepository;
import dev.bulklinks.job.JobView;
import dev.bulklinks.project.Projects;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.api.Connections;
import io.vertx.core.http.HttpServerRequest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/api/p/{project}/jobs/{token}/events")
@Tag(name = "Jobs")
public class JobEventsResource {

    private static final String STREAM = """
            id: 1
            event: job
            retry: 2000
            data: {"job.token":"77efdebe-5a2b-4c6e-9d61-3f0c2a7b9e10","project_gid":"demo","job":"bulk_upsert_links","status":"queued","info":{"total":2,"remaining":2,"succeeded":0,"failed":0},"options":{"mode":"create","atomic":false,"lookupKey":"id"},"submitted_by":"pipeline","created_on":1795552458.592301,"updated_on":1795552458.669181,"started_on":null,"finished_on":null,"error":null}

            id: 2
            event: job
            data: {"job.token":"77efdebe-5a2b-4c6e-9d61-3f0c2a7b9e10","project_gid":"demo","job":"bulk_upsert_links","status":"processing","info":{"total":2,"remaining":2,"succeeded":0,"failed":0},"options":{"mode":"create","atomic":false,"lookupKey":"id"},"submitted_by":"pipeline","created_on":1795552458.592301,"updated_on":1795552458.669181,"started_on":1795552458.626396,"finished_on":null,"error":null}

            id: 4
            event: job
            data: {"job.token":"77efdebe-5a2b-4c6e-9d61-3f0c2a7b9e10","project_gid":"demo","job":"bulk_upsert_links","status":"done","info":{"total":2,"remaining":0,"succeeded":1,"failed":1},"options":{"mode":"create","atomic":false,"lookupKey":"id"},"submitted_by":"pipeline","created_on":1795552458.592301,"updated_on":1795552458.669181,"started_on":1795552458.626396,"finished_on":1795552458.669181,"error":null}
            """;

    /** What a stream starts from: the job (when it exists), and the cursor below which the feed is trimmed. */
    private record Start(Optional<JobView> job, long trimmed) {
    }

    /** The job's status now, and the feed's newest cursor, which every event that status includes is at or below. */
    private record Now(long newest, JobView job) {
    }

    private final Projects projects;
    private final JobRepository jobs;
    private final SyncFeed feed;
    private final FeedListener listener;
    private final SyncConfig config;
    private final ObjectMapper json;

    JobEventsResource(Projects projects, JobRepository jobs, SyncFeed feed, FeedListener listener, SyncConfig config,
            ObjectMapper json) {
        this.projects = projects;
        this.jobs = jobs;
        this.feed = feed;
        this.listener = listener;
        this.config = config;
        this.json = json;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "A job's status as Server-Sent Events", description = "Events named job, whose data is the"
            + " job's status (as GET .../jobs/{token} answers it): from the job's first (queued), through processing"
            + " and its progress, to its final status, after which the stream ends. Each id is a feed cursor; a"
            + " client that reconnects with Last-Event-ID gets only what it missed.")
    @APIResponse(responseCode = "200", description = "The job's statuses, event after event; the stream ends after the final one",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, examples = @ExampleObject(name = "queued to done",
                    value = STREAM)))
    @APIResponse(responseCode = "503", description = "The instance holds as many undelivered events as it may for"
            + " clients that are behind; retry after Retry-After seconds")
    public void events(@PathParam("project") String project, @PathParam("token") String token,
            @QueryParam("cursor") String cursor, @HeaderParam("Last-Event-ID") String lastEventId,
            @Context SseEventSink sink, @Context Sse sse, @Context HttpServerRequest request)
            throws SQLException, JsonProcessingException {
        projects.require(project);
        UUID id = EntityIds.parse(token);
        if (id == null) {
            throw ApiException.badRequest("'" + EntityIds.abbreviate(token) + "' is not a job token; job tokens are UUIDs.");
        }
        boolean resuming = lastEventId != null && !lastEventId.isBlank();
        long from = FeedPosition.start(lastEventId, cursor, 0);
        Start start = QuarkusTransaction.requiringNew()
                .call(() -> new Start(jobs.find(project, id), feed.trimmedThrough()));
        start.job().orElseThrow(() -> ApiException.notFound("Job " + id + " not found in project '" + project + "'."));
        long trimmed = start.trimmed();

        Subscription subscription = listener.open(
                new SseSink(sink, sse, "job", SyncEvent::data, config.reconnectDelay(), () -> Connections.cut(request)),
                event -> SyncEvent.JOBS.equals(event.dataType()) && id.toString().equals(event.dataKey()),
                SyncEvent::isFinalJobStatus);
        FeedListener.PageReader reader = (after, maxBytes) -> feed.readJob(id, after, FeedListener.PAGE, maxBytes);
        try {
            int sent = from < trimmed ? 0 : FeedListener.catchUp(subscription, reader, from);
            if (sent == 0 && !resuming && !subscription.isClosed()) {
                // The job's own events are gone (older than the feed keeps): start from its status now. Only
                // here is the newest cursor read, which sequences the feed first: on a busy feed that is one
                // more transaction waiting for the sequencer's lock and the disk, which a stream that has its
                // events does not need. One transaction, its reads in this order: the newest cursor before the
                // job, so that the status shown includes every event up to it.
                Now now = QuarkusTransaction.requiringNew().call(() -> new Now(feed.newest(),
                        jobs.find(project, id).orElseThrow(() -> ApiException.notFound("Job " + id + " was deleted."))));
                subscription.sendCatchUp(new SyncEvent(now.newest(), project, "UPDATE", SyncEvent.JOBS, id.toString(),
                        json.writeValueAsString(now.job())));
            }
            FeedListener.goLive(subscription, reader);
        } catch (SQLException | JsonProcessingException | RuntimeException e) {
            // The client reconnects, to this instance or another, and resumes where it was.
            subscription.abort();
            throw e;
        }
    }
}
