package dev.bulklinks.monitoring;

import dev.bulklinks.api.Envelope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/admin/instances")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin")
public class InstanceResource {

    private static final String ALL = """
            {"success": true, "result": {"instances": [{"name": "app-1-4711-6c1f1b9e", "alive": true,
             "started_on": 1795552400.104233, "seen_on": 1795552458.592301, "stopped_on": null, "workers": 2,
             "workers_busy": 1, "workers_idle": 1, "chunks_last_minute": 58}]}, "data": {}}""";

    private final InstanceRepository instances;
    private final Instances self;

    InstanceResource(InstanceRepository instances, Instances self) {
        this.instances = instances;
        this.self = self;
    }

    @GET
    @Operation(summary = "The service's instances", description = "Every instance that recorded a heartbeat in the"
            + " last hour (bulklinks.instances.forget-after): alive first (seen within three heartbeats and not"
            + " stopped), with its workers busy and idle and the chunks it committed in the last minute; then"
            + " those gone, greyed out on the dashboard. Admins only.")
    @APIResponse(responseCode = "200", description = "The instances",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "one", value = ALL)))
    public Envelope list() throws SQLException {
        return Envelope.of(Map.of("instances", instances.list(self.aliveFor())));
    }
}
