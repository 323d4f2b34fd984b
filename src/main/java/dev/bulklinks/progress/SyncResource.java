package dev.bulklinks.progress;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.api.Connections;
import dev.bulklinks.api.Envelope;
import dev.bulklinks.api.Paging;
import dev.bulklinks.auth.ProjectScope;
import io.quarkus.narayana.jta.QuarkusTransaction;
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
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Unicat's sync protocol ({@code POST /sync/cursors}, {@code POST /sync/get}) and the same items as
 * Server-Sent Events ({@code GET /sync/stream}). How job items and project items share one stored
 * sequence: {@link SyncQuery}.
 */
@Path("/sync")
@Tag(name = "Sync feed", description = "Unicat's sync protocol. Every job state and progress change is a job item"
        + " (type \"cc\", read with cc_cursor); the links and entities a job writes are the project's items (type:"
        + " the project's name, read with project + cursor). Cursors only grow. Poll with POST /sync/get, or follow"
        + " the same items as Server-Sent Events.")
public class SyncResource {

    /** Two items of the feed, as the answers and the stream below all show them. */
    private static final String JOB_ITEM = """
            {"type":"cc","cursor":41,"action":"UPDATE","data_type":"jobs","data_key":"77efdebe-5a2b-4c6e-9d61-3f0c2a7b9e10","data":{"job.token":"77efdebe-5a2b-4c6e-9d61-3f0c2a7b9e10","project_gid":"demo","job":"bulk_upsert_links","status":"processing","info":{"total":3000,"remaining":2000,"succeeded":1000,"failed":0},"options":{"mode":"create","atomic":false,"lookupKey":"id"},"submitted_by":"pipeline","created_on":1795552458.592301,"updated_on":1795552459.104220,"started_on":1795552458.626396,"finished_on":null,"error":null}}""";
    private static final String LINKS_ITEM = """
            {"type":"demo","cursor":42,"action":"INSERT","data_type":"links","data_key":"77efdebe-5a2b-4c6e-9d61-3f0c2a7b9e10","data":{"job.token":"77efdebe-5a2b-4c6e-9d61-3f0c2a7b9e10","project_gid":"demo","chunk":1,"count":1,"ids":["9d2c4f1e-7a6b-4e3d-8c21-5f0a9b8e7d60"]}}""";
    private static final String SYNC_PAGE = "{\"success\": true, \"result\": {\"sync\": [" + JOB_ITEM + ", "
            + LINKS_ITEM + "]}, \"data\": {}}";
    private static final String SYNC_MORE = "{\"success\": true, \"result\": {\"sync\": [" + JOB_ITEM
            + "], \"warning\": \"More items remain than one answer holds: call POST /sync/get again with"
            + " {\\\"cc_cursor\\\": 41, \\\"limit\\\": 1}, the cursor of the last item answered.\"}, \"data\": {}}";
    private static final String SYNC_GONE = """
            {"success": false, "result": {"code": 410, "message": "cc_cursor 12 is older than the items this feed keeps\
             (since cursor 3120); resync: read the current state (for example GET .../jobs), then follow the feed from\
             cursor 5121 (as POST /sync/cursors answers it).", "info": {"oldest": 3120, "newest": 5121}}, "data": {}}""";
    static final String FEED_STREAM = ": stream open\n\nid: 41\nevent: jobs\ndata: " + JOB_ITEM
            + "\n\nid: 42\nevent: links\ndata: " + LINKS_ITEM + "\n";
    private static final String GET_REQUEST = """
            {"cc_cursor": 40, "project": "demo", "cursor": 40, "limit": 100}""";
    private static final String TRACKER_REQUEST = """
            {"cc_cursor": 40}""";

    private final SyncFeed feed;
    private final FeedListener listener;
    private final ProjectScope scope;
    private final SyncConfig config;

    SyncResource(SyncFeed feed, FeedListener listener, ProjectScope scope, SyncConfig config) {
        this.feed = feed;
        this.listener = listener;
        this.scope = scope;
        this.config = config;
    }

    /** Body of {@code POST /sync/cursors}: Unicat sends {@code {}}. */
    public record CursorsRequest() {
    }

    /** Body of {@code POST /sync/get}, as Unicat's client sends it. */
    public record SyncRequest(@JsonProperty("cc_cursor") Long ccCursor, String project, Long cursor, Integer limit) {
    }

    @POST
    @Path("/cursors")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The cursors to sync from", description = "Answers the newest cursors: cc.cursor for job items"
            + " (send it as cc_cursor) and cursor for a project's items. Take them before submitting a job: every item of"
            + " that job comes after them. Both readings share one sequence, so both are the same number.")
    @RequestBody(description = "Nothing: {}", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "nothing", value = "{}")))
    @APIResponse(responseCode = "200", description = "The newest cursors", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "now",
                    value = "{\"success\": true, \"result\": {\"cc.cursor\": 5121, \"cursor\": 5121}, \"data\": {}}")))
    public Envelope cursors(CursorsRequest body) throws SQLException {
        return Envelope.of(QuarkusTransaction.requiringNew().call(feed::cursors).asResult());
    }

    @POST
    @Path("/get")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Sync items after your cursors", description = "Answers, in cursor order, the job items after"
            + " cc_cursor (of every project you may see) and the items of project after cursor: at most limit (default"
            + " 100, at most 1000), and no more than about bulklinks.sync.max-pending-bytes of them. When more remain,"
            + " the answer has a warning: call again with the cursors of the last items answered. Give cc_cursor,"
            + " project + cursor, or both; POST /sync/cursors answers where to start. A cursor older than the feed keeps"
            + " (or one it never gave) answers 410: resync, then follow from the newest cursor.")
    @APIResponse(responseCode = "200", description = "The items after the cursors, oldest first; warning when more remain",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = {
                    @ExampleObject(name = "a page", value = SYNC_PAGE),
                    @ExampleObject(name = "more remain", value = SYNC_MORE)}))
    @APIResponse(responseCode = "410", description = "A cursor older than the feed keeps, or one it never gave: resync,"
            + " then follow from the newest cursor (result.info.newest)", content = @Content(
                    mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "trimmed", value = SYNC_GONE)))
    @RequestBody(description = "cc_cursor (job items), project + cursor (that project's items), or both; limit",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = {
                    @ExampleObject(name = "jobs and a project's items", value = GET_REQUEST),
                    @ExampleObject(name = "a job tracker", value = TRACKER_REQUEST)}))
    public Envelope get(SyncRequest body) throws SQLException {
        SyncRequest request = body == null ? new SyncRequest(null, null, null, null) : body;
        if (request.ccCursor() == null && request.project() == null && request.cursor() == null) {
            throw ApiException.badRequest("Say what to read: {\"cc_cursor\": N} for job items, {\"project\": \"name\","
                    + " \"cursor\": N} for a project's items, or both. POST /sync/cursors answers the cursors to start from.");
        }
        requireCursor("cc_cursor", request.ccCursor());
        requireCursor("cursor", request.cursor());
        // The project first: one the caller may not read is refused (404, 403) whatever else is wrong.
        Set<String> projects = request.project() == null ? null : scope.visible(request.project());
        if (request.cursor() != null && request.project() == null) {
            throw ApiException.badRequest("cursor reads a project's items: give project too (job items are read with"
                    + " cc_cursor).");
        }
        if (request.project() != null && request.cursor() == null) {
            throw ApiException.badRequest("project needs its cursor: give cursor, the \"cursor\" of POST /sync/cursors or"
                    + " of the last item of that project you read.");
        }
        int limit = Paging.limit(request.limit());
        Set<String> visible = scope.visible(null);
        SyncQuery query = new SyncQuery(visible, request.ccCursor(), projects, request.cursor());
        return QuarkusTransaction.requiringNew().call(() -> {
            long newest = feed.newest();
            feed.requireKnown(query);
            SyncFeed.Page page = feed.read(query, newest, limit, config.maxPendingBytes().asLongValue());
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("sync", page.items());
            if (page.more()) {
                result.put("warning", warning(request, page.items()));
            }
            return Envelope.of(result);
        });
    }

    /** A cursor of the request: absent, or a whole number of 0 or more (the JSON binding refuses other types). */
    private static void requireCursor(String name, Long cursor) {
        if (cursor != null && cursor < 0) {
            throw ApiException.badRequest(name + " must be 0 or more: the \"" + (name.equals("cc_cursor") ? "cc.cursor"
                    : "cursor") + "\" of POST /sync/cursors, or the cursor of the last item you read.");
        }
    }

    /** What to do when more items remain: the body of the next call, from the last item answered. */
    private static String warning(SyncRequest request, List<SyncEvent> items) {
        long last = items.get(items.size() - 1).cursor();
        StringBuilder next = new StringBuilder("{");
        if (request.ccCursor() != null) {
            next.append("\"cc_cursor\": ").append(last);
        }
        if (request.project() != null) {
            next.append(next.length() > 1 ? ", " : "").append("\"project\": \"").append(request.project())
                    .append("\", \"cursor\": ").append(last);
        }
        if (request.limit() != null) {
            next.append(", \"limit\": ").append(request.limit());
        }
        next.append('}');
        return "More items remain than one answer holds: call POST /sync/get again with " + next
                + ", the cursor of the last item answered.";
    }

    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "The sync items as Server-Sent Events", description = "The items /sync/get answers, job items"
            + " and project items of every project you may see (or of project), in cursor order. Each event's id is"
            + " its cursor and its name its data_type; data is the sync item. The stream follows the one sequence both"
            + " kinds of item share: its cursor (and Last-Event-ID) stands for cc_cursor and cursor at once, so a"
            + " client that reconnects with Last-Event-ID resumes right after that item, missing and repeating"
            + " nothing. Without a cursor the stream starts at the newest item. Comments keep an idle stream open. A"
            + " client that falls behind by more than bulklinks.sync.max-pending-bytes, or takes nothing for"
            + " bulklinks.sync.send-timeout, is cut off: it reconnects with Last-Event-ID and misses nothing.")
    @APIResponse(responseCode = "200", description = "The feed, item after item, until the client closes it",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, examples = @ExampleObject(name = "two events",
                    value = FEED_STREAM)))
    @APIResponse(responseCode = "503", description = "The instance holds as many undelivered events as it may for"
            + " clients that are behind; retry after Retry-After seconds")
    public void stream(@Parameter(description = "Start after this cursor (0 for the whole feed)") @QueryParam("cursor") String cursor,
            @Parameter(description = "Only items of this project") @QueryParam("project") String project,
            @HeaderParam("Last-Event-ID") String lastEventId, @Context SseEventSink sink, @Context Sse sse,
            @Context HttpServerRequest request) throws SQLException {
        Set<String> visible = scope.visible(project);
        long from = FeedPosition.start(lastEventId, cursor, -1);
        long start = QuarkusTransaction.requiringNew().call(() -> {
            long newest = feed.newest();
            if (from < 0) {
                return newest;
            }
            FeedPosition.requireKnown(lastEventId != null && !lastEventId.isBlank() ? "Last-Event-ID" : "cursor", from,
                    feed);
            return from;
        });
        // Opened before anything is sent, so that a full instance can still answer 503.
        listener.follow(new SseSink(sink, sse, null, SyncEvent::toJson, config.reconnectDelay(),
                () -> Connections.cut(request)), SyncQuery.everything(visible, start),
                () -> sink.send(sse.newEventBuilder().comment("stream open").build()));
    }
}
