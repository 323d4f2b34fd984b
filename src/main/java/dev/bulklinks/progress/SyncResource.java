package dev.bulklinks.progress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.api.Envelope;
import dev.bulklinks.api.Paging;
import dev.bulklinks.auth.ProjectScope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import dev.bulklinks.api.Connections;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

@Path("/sync")
@Tag(name = "Sync feed", description = "Every job state and progress change, and every chunk of links a job writes,"
        + " as events with a cursor that only grows. Poll it, or follow it as Server-Sent Events.")
public class SyncResource {

    /** Two events of the feed, as the page and the stream below both show them. */
    private static final String JOB_EVENT = """
            {"type":"cc","cursor":41,"action":"UPDATE","data_type":"jobs","data_key":"77efdebe-5a2b-4c6e-9d61-3f0c2a7b9e10","data":{"job.token":"77efdebe-5a2b-4c6e-9d61-3f0c2a7b9e10","project_gid":"demo","job":"bulk_upsert_links","status":"processing","info":{"total":3000,"remaining":2000,"succeeded":1000,"failed":0},"options":{"mode":"create","atomic":false,"lookupKey":"id"},"submitted_by":"pipeline","created_on":1795552458.592301,"updated_on":1795552459.104220,"started_on":1795552458.626396,"finished_on":null,"error":null},"finalJobStatus":false}""";
    private static final String LINKS_EVENT = """
            {"type":"cc","cursor":42,"action":"INSERT","data_type":"links","data_key":"77efdebe-5a2b-4c6e-9d61-3f0c2a7b9e10","data":{"job.token":"77efdebe-5a2b-4c6e-9d61-3f0c2a7b9e10","project_gid":"demo","chunk":1,"count":1,"ids":["9d2c4f1e-7a6b-4e3d-8c21-5f0a9b8e7d60"]},"finalJobStatus":false}""";
    private static final String FEED_PAGE = "{\"success\": true, \"result\": {\"events\": [" + JOB_EVENT + ", "
            + LINKS_EVENT + "], \"cursor\": 42, \"newest\": 42}, \"data\": {}}";
    static final String FEED_STREAM = ": stream open\n\nid: 41\nevent: jobs\ndata: " + JOB_EVENT
            + "\n\nid: 42\nevent: links\ndata: " + LINKS_EVENT + "\n";

    private final SyncFeed feed;
    private final FeedListener listener;
    private final ProjectScope scope;
    private final SyncConfig config;
    private final ObjectMapper json;

    SyncResource(SyncFeed feed, FeedListener listener, ProjectScope scope, SyncConfig config, ObjectMapper json) {
        this.feed = feed;
        this.listener = listener;
        this.scope = scope;
        this.config = config;
        this.json = json;
    }

    private static final String FEED_REQUEST = """
            {"cursor": 40, "project": "demo", "limit": 100}""";

    /** Body of {@code POST /sync/get}. */
    public record SyncRequest(Long cursor, String project, Integer limit) {
    }

    @POST
    @Path("/get")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Events after a cursor", description = "Answers up to limit events after cursor, oldest"
            + " first, the cursor to send next, and the newest cursor of the feed. Without a cursor it answers no"
            + " events and the newest cursor, to follow from now; cursor 0 reads the feed from its start. A cursor"
            + " older than the feed keeps answers 410: resync, then follow from newest.")
    @APIResponse(responseCode = "200", description = "The events after the cursor, the cursor to send next, the newest",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "a page",
                    value = FEED_PAGE)))
    @APIResponse(responseCode = "410", description = "The cursor is older than the feed keeps: resync, then follow from newest")
    @RequestBody(description = "Optional: cursor (omit to follow from now), project, limit (default 100)", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "from a cursor, one project", value = FEED_REQUEST)))
    public Envelope get(SyncRequest body) throws SQLException {
        if (body != null && body.cursor() != null && body.cursor() < 0) {
            throw ApiException.badRequest("cursor must be 0 or the cursor of the last answer.");
        }
        Set<String> visible = scope.visible(body == null ? null : body.project());
        int limit = Paging.limit(body == null ? null : body.limit());
        return QuarkusTransaction.requiringNew().call(() -> {
            long newest = feed.newest();
            long after = body == null || body.cursor() == null ? newest : body.cursor();
            FeedPosition.requireKnown(after, feed);
            List<SyncEvent> events = feed.read(after, newest, visible, limit);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("events", events);
            result.put("cursor", events.size() == limit ? events.get(events.size() - 1).cursor() : newest);
            result.put("newest", newest);
            return Envelope.of(result);
        });
    }

    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "The feed as Server-Sent Events", description = "Each event's id is its cursor and its"
            + " name its data_type; data is the sync event. Reconnecting with Last-Event-ID resumes right after"
            + " that event: nothing is missed, nothing repeated. Without a cursor the stream starts at the newest"
            + " event. Comments keep an idle stream open. A client that falls behind by more than"
            + " bulklinks.sync.max-pending-bytes, or takes nothing for bulklinks.sync.send-timeout, is cut off: it"
            + " reconnects with Last-Event-ID and misses nothing.")
    @APIResponse(responseCode = "200", description = "The feed, event after event, until the client closes it",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, examples = @ExampleObject(name = "two events",
                    value = FEED_STREAM)))
    @APIResponse(responseCode = "503", description = "The instance holds as many undelivered events as it may for"
            + " clients that are behind; retry after Retry-After seconds")
    public void stream(@Parameter(description = "Start after this cursor (0 for the whole feed)") @QueryParam("cursor") String cursor,
            @Parameter(description = "Only events of this project") @QueryParam("project") String project,
            @HeaderParam("Last-Event-ID") String lastEventId, @Context SseEventSink sink, @Context Sse sse,
            @Context HttpServerRequest request) throws SQLException {
        Set<String> visible = scope.visible(project);
        long from = FeedPosition.start(lastEventId, cursor, -1);
        long start = QuarkusTransaction.requiringNew().call(() -> {
            long newest = feed.newest();
            if (from < 0) {
                return newest;
            }
            FeedPosition.requireKnown(from, feed);
            return from;
        });
        // Opened before anything is sent, so that a full instance can still answer 503.
        Subscription subscription = listener.open(
                new SseSink(sink, sse, null, this::text, config.reconnectDelay(), () -> Connections.cut(request)),
                event -> visible == null || visible.contains(event.project()), event -> false);
        FeedListener.PageReader reader = (after, maxBytes) -> feed.read(after, Long.MAX_VALUE, visible,
                FeedListener.PAGE, maxBytes);
        try {
            sink.send(sse.newEventBuilder().comment("stream open").build());
            FeedListener.catchUp(subscription, reader, start);
            FeedListener.goLive(subscription, reader);
        } catch (SQLException | RuntimeException e) {
            // The client reconnects, to this instance or another, and resumes where it was.
            subscription.abort();
            throw e;
        }
    }

    private String text(SyncEvent event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
