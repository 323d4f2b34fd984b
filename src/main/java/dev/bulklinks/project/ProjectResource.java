package dev.bulklinks.project;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulklinks.auth.Caller;
import dev.bulklinks.auth.CurrentCaller;
import dev.bulklinks.auth.ProjectScope;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.api.Envelope;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
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
    private final ProjectRepository repository;
    private final ProjectScope scope;

    private final CurrentCaller caller;

    private static final String NEW = """
            {"name": "demo"}""";
    private static final String ONE = """
            {"success": true, "result": {"name": "demo", "created_at": 1795552453.348717, "default_link_type": "link"},
             "data": {}}""";
    private static final String ALL = """
            {"success": true, "result": {"projects": [{"name": "demo", "created_at": 1795552453.348717,
             "default_link_type": "link"}]}, "data": {}}""";
    private static final String CHANGE = """
            {"default_link_type": "accessories"}""";
    private static final String CHANGED = """
            {"success": true, "result": {"name": "demo", "created_at": 1795552453.348717, "default_link_type": "accessories"},
             "data": {}}""";
    private static final String DEFAULT_LINK_TYPE = "default_link_type: what POST /api/p/{project}/records/bulk/link"
            + " uses when the request names no linkType, as Unicat's client sends it. A link type name (\"link\" for a"
            + " new project): each link then gets the type name|<parent's type>|<record's type>, registered in the"
            + " project when first used, so it fits records of any types; or a whole link type"
            + " name|input_type|output_type, which must be registered; or null: linkType is then required.";

    ProjectResource(Projects projects, ProjectRepository repository, ProjectScope scope, CurrentCaller caller) {
        this.projects = projects;
        this.repository = repository;
        this.scope = scope;
        this.caller = caller;
    }

    /** Body of {@code POST /api/projects}; {@code default_link_type} is {@value Projects#DEFAULT_LINK_TYPE} when absent. */
    public record NewProject(String name, String default_link_type) {
    }

    /** Body of {@code PATCH /api/projects/{project}}: the settings to change; a JSON null clears one. */
    public record ProjectChange(JsonNode default_link_type) {
    }

    /** A project as the API shows it. */
    public record ProjectView(String name, Instant created_at, String default_link_type) {
        static ProjectView of(Project p) {
            return new ProjectView(p.name(), p.createdAt(), p.defaultLinkType());
        }
    }

    @POST
    @Transactional
    @Operation(summary = "Create a project", description = "Projects are namespaces for entities, link types, links and"
            + " jobs. Body: {\"name\", \"default_link_type\"?}. " + DEFAULT_LINK_TYPE)
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "a project", value = NEW)))
    @APIResponse(responseCode = "201", description = "Created; Location: the project",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "created", value = ONE)))
    @APIResponse(responseCode = "409", description = "A project of that name exists")
    public Response create(NewProject body) throws SQLException {
        scope.requireAdmin("create projects");
        if (body == null || body.name() == null) {
            throw ApiException.badRequest("Send {\"name\": \"<project>\"}.");
        }
        Projects.requireWellFormed(body.name());
        Projects.requireDefaultLinkType(body.default_link_type());
        Project project = repository.insert(body.name(),
                body.default_link_type() == null ? Projects.DEFAULT_LINK_TYPE : body.default_link_type())
                .orElseThrow(() -> ApiException.conflict("Project '" + body.name() + "' already exists."));
        return Response.created(URI.create("/api/projects/" + project.name()))
                .entity(Envelope.of(ProjectView.of(project))).build();
    }

    @GET
    @Path("/{project}")
    @Operation(summary = "One project")
    @APIResponse(responseCode = "200", description = "The project",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "a project", value = ONE)))
    public Envelope get(@PathParam("project") String name) {
        return Envelope.of(ProjectView.of(projects.find(name)));
    }

    @PATCH
    @Path("/{project}")
    @Transactional
    @Operation(summary = "Change a project's settings", description = "Body: {\"default_link_type\": name, link type or"
            + " null}. " + DEFAULT_LINK_TYPE + " For admins and the project's managers (403 for anyone else).")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "a default link type name", value = CHANGE)))
    @APIResponse(responseCode = "200", description = "Changed; the project as it is now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "changed", value = CHANGED)))
    public Envelope change(@PathParam("project") String name, ProjectChange body) throws SQLException {
        projects.require(name);
        Caller who = caller.get();
        if (!who.admin() && !who.manager()) {
            throw ApiException.forbidden("Only an admin or a manager of project '" + name + "' may change its settings.");
        }
        if (body == null || body.default_link_type() == null) {
            throw ApiException.badRequest("Send {\"default_link_type\": \"<name>\" | \"<name|input_type|output_type>\" | null}.");
        }
        JsonNode value = body.default_link_type();
        if (!value.isNull() && !value.isTextual()) {
            throw ApiException.badRequest("default_link_type must be a string or null.");
        }
        String type = value.isNull() ? null : value.textValue();
        Projects.requireDefaultLinkType(type);
        return Envelope.of(ProjectView.of(repository.setDefaultLinkType(name, type).orElseThrow(
                () -> ApiException.notFound("Project '" + name + "' not found; it was deleted meanwhile."))));
    }

    @GET
    @Operation(summary = "List projects", description = "An admin sees every project; any other user the projects"
            + " it is a member of.")
    @APIResponse(responseCode = "200", description = "The projects the caller may use, by name",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "one project", value = ALL)))
    public Envelope list() throws SQLException {
        Set<String> visible = scope.visible(null);
        List<ProjectView> all = repository.all().stream()
                .filter(p -> visible == null || visible.contains(p.name())).map(ProjectView::of).toList();
        return Envelope.of(Map.of("projects", all));
    }
}
