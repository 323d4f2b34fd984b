package dev.bulklinks.records;

import dev.bulklinks.api.ApiException;
import dev.bulklinks.intake.BulkResource;
import dev.bulklinks.intake.Intake;
import dev.bulklinks.job.JobKind;
import dev.bulklinks.project.Projects;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Unicat's bulk link of a parent record to a selection, as a job. */
@Path("/api/p/{project}/records/bulk/link")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Bulk jobs")
public class RecordsResource {

    private static final String SELECTION = """
            {"parent": "3c9e1a7b-2d4f-4e6a-9b8c-7d5e3f1a2b40", "linkType": "accessories|product|product",
             "selection": [
               "0b4e7f7c-8d1a-4c55-bf2e-6a9d3c2e1f40",
               {"children": "5e0f6a8e-3f7b-4d2a-9a43-2b1c0d9e8f71", "exclude": ["9d2c4f1e-7a6b-4e3d-8c21-5f0a9b8e7d60"]},
               {"search": {"q": "lamp", "filter": [["type", "=", "product"], ["data.colour", "in", ["black", "white"]]]}}
             ],
             "ordering": "selection"}""";

    private static final String UNICAT = """
            {"parent": "3c9e1a7b-2d4f-4e6a-9b8c-7d5e3f1a2b40",
             "selection": ["0b4e7f7c-8d1a-4c55-bf2e-6a9d3c2e1f40", {"children": "5e0f6a8e-3f7b-4d2a-9a43-2b1c0d9e8f71"}]}""";

    private final Intake intake;
    private final Projects projects;

    RecordsResource(Intake intake, Projects projects) {
        this.intake = intake;
        this.projects = projects;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Link a record to a selection of records (Unicat)", description = "Body: {\"parent\": id,"
            + " \"selection\": [id | {\"children\": id, \"exclude\"?: [ids]} | {\"search\": {\"q\"?: text,"
            + " \"filter\"?: [field, op, value] or a list of them}, \"exclude\"?: [ids]}], \"linkType\"?,"
            + " \"before_record\"?: id, \"ordering\"?: \"selection\" | \"name\", \"dryRun\"?: false}. With dryRun, every"
            + " link is checked and its result recorded as it would be, and nothing is written. Filter fields: type, name,"
            + " data.<key>; ops: =, !=, has (contains, ignoring case), in (one of a list). The selection is"
            + " expanded when the job runs; each selected record, once, gets a link from the parent, after the"
            + " parent's links of that type or before before_record. A selection that cannot be read is 422 code"
            + " 1006; one that fails while the job runs (a children parent gone) rejects the job with code 1006."
            + " Without linkType, as Unicat's client sends it, the project's default_link_type is used (see PATCH"
            + " /api/projects/{project}): a bare name such as \"link\" gives each link the type"
            + " name|<parent's type>|<record's type>, registered when first used; with no default, 400.")
    @APIResponse(responseCode = "202", description = "Stored; the selection is expanded when the job runs.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "accepted",
                    value = BulkResource.ACCEPTED)))
    @APIResponse(responseCode = "422", description = "A selection that cannot be read (code 1006)")
    public Response link(@PathParam("project") String project,
            @Parameter(description = BulkResource.IDEMPOTENCY) @HeaderParam(BulkResource.IDEMPOTENCY_KEY)
            String idempotencyKey,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = {@ExampleObject(
                    name = "children and a search, minus one", value = SELECTION), @ExampleObject(
                    name = "as Unicat's client sends it, with no linkType", value = UNICAT)}))
            RecordLinkRequest request) throws SQLException {
        if (request == null) {
            throw ApiException.badRequest("The body must be {\"parent\", \"selection\", \"linkType\"?}.");
        }
        request.check();
        if (request.linkType() == null) {
            // Stored with the default of this moment: the job does what the request meant when it was accepted.
            String fallback = projects.defaultLinkType(project);
            if (fallback == null) {
                throw ApiException.badRequest("linkType is required: project '" + project + "' has no default link"
                        + " type. Send one, for example \"accessories|product|product\", or set the project's"
                        + " default_link_type (PATCH /api/projects/" + project + ").");
            }
            request = request.withLinkType(fallback);
        }
        return intake.submitRequest(project, JobKind.BULK_LINK_RECORDS, request, request.isDryRun(), idempotencyKey)
                .toResponse(project);
    }
}
