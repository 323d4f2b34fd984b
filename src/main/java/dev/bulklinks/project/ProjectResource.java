package dev.bulklinks.project;

import dev.bulklinks.auth.ProjectScope;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.api.Envelope;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import io.quarkus.panache.common.Sort;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import java.sql.SQLException;
import java.util.Set;

@Path("/api/projects")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Projects")
public class ProjectResource {

    private final Projects projects;
    private final ProjectScope scope;

    private static final String NEW = """
            {"name": "demo"}""";
    private static final String ONE = """
            {"success": true, "result": {"name": "demo", "created_at": 1795552453.348717}, "data": {}}""";
    private static final String ALL = """
            {"success": true, "result": {"projects": [{"name": "demo", "created_at": 1795552453.348717}]}, "data": {}}""";

    ProjectResource(Projects projects, ProjectScope scope) {
        this.projects = projects;
        this.scope = scope;
    }

    /** Body of {@code POST /api/projects}. */
    public record NewProject(String name) {
    }

    /** A project as the API shows it. */
    public record ProjectView(String name, Instant created_at) {
        static ProjectView of(Project p) {
            return new ProjectView(p.name, p.createdAt);
        }
    }

    @POST
    @Transactional
    @Operation(summary = "Create a project", description = "Projects are namespaces for entities, link types, links and jobs.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "a project", value = NEW)))
    @APIResponse(responseCode = "201", description = "Created; Location: the project",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "created", value = ONE)))
    @APIResponse(responseCode = "409", description = "A project of that name exists")
    public Response create(NewProject body) {
        scope.requireAdmin("create projects");
        if (body == null || body.name() == null) {
            throw ApiException.badRequest("Send {\"name\": \"<project>\"}.");
        }
        Projects.requireWellFormed(body.name());
        if (Project.findById(body.name()) != null) {
            throw ApiException.conflict("Project '" + body.name() + "' already exists.");
        }
        Project project = new Project();
        project.name = body.name();
        project.createdAt = Instant.now();
        project.persist();
        return Response.created(URI.create("/api/projects/" + project.name))
                .entity(Envelope.of(ProjectView.of(project))).build();
    }

    @GET
    @Path("/{project}")
    @Operation(summary = "One project")
    @APIResponse(responseCode = "200", description = "The project",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "a project", value = ONE)))
    public Envelope get(@PathParam("project") String name) {
        return Envelope.of(ProjectView.of(Project.findById(projects.require(name))));
    }

    @GET
    @Operation(summary = "List projects", description = "An admin sees every project; any other user the projects"
            + " it is a member of.")
    @APIResponse(responseCode = "200", description = "The projects the caller may use, by name",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "one project", value = ALL)))
    public Envelope list() throws SQLException {
        Set<String> visible = scope.visible(null);
        List<ProjectView> all = Project.<Project>listAll(Sort.by("name")).stream()
                .filter(p -> visible == null || visible.contains(p.name)).map(ProjectView::of).toList();
        return Envelope.of(Map.of("projects", all));
    }
}
