package dev.bulklinks.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulklinks.fixtures.SignedIn;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OpenAPI document names every route of the contract, each with a summary and its answers. */
@QuarkusTest
class OpenApiTest {

    /** Every route of ../shared/api-contract.md, and the service's own (auth, admin, dashboard). */
    private static final List<String> ROUTES = List.of(
            "POST /api/projects", "GET /api/projects",
            "PATCH /api/projects/{project}", "POST /api/p/{project}/auth",
            "PUT /api/p/{project}/links/types/{type}", "GET /api/p/{project}/links/types",
            "DELETE /api/p/{project}/links/types/{type}",
            "POST /api/p/{project}/entities", "GET /api/p/{project}/entities/{id}", "GET /api/p/{project}/entities",
            "POST /api/p/{project}/entities/bulk",
            "POST /api/p/{project}/links", "GET /api/p/{project}/links", "GET /api/p/{project}/links/{id}",
            "DELETE /api/p/{project}/links/{id}",
            "POST /api/p/{project}/links/bulk", "POST /api/p/{project}/links/bulk/delete",
            "POST /api/p/{project}/records/bulk/link",
            "GET /api/p/{project}/jobs/{token}", "GET /api/p/{project}/jobs", "POST /api/p/{project}/jobs/{token}/cancel",
            "GET /api/p/{project}/jobs/{token}/results", "GET /api/p/{project}/jobs/{token}/results.ndjson",
            "GET /api/p/{project}/jobs/{token}/events", "GET /api/p/{project}/jobs/counts", "GET /api/p/{project}/jobs/activity",
            "POST /sync/cursors", "POST /sync/get", "GET /sync/stream",
            "POST /api/auth", "POST /api/admin/users", "GET /api/admin/users", "POST /api/admin/users/{user}/keys",
            "DELETE /api/admin/keys/{key}", "PUT /api/admin/users/{user}/projects/{project}",
            "DELETE /api/admin/users/{user}/projects/{project}", "GET /dashboard");

    @Test
    void everyRouteIsDescribed() {
        JsonPath doc = RestAssured.given().header(SignedIn.ANONYMOUS, "1").queryParam("format", "json")
                .get("/q/openapi").then().statusCode(200).extract().jsonPath();
        assertThat(doc.getString("openapi")).startsWith("3.");
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        for (String route : ROUTES) {
            String method = route.substring(0, route.indexOf(' ')).toLowerCase();
            String path = route.substring(route.indexOf(' ') + 1);
            String found = paths.keySet().stream()
                    .filter(p -> p.replaceAll("\\{[^}]+}", "{}").equals(path.replaceAll("\\{[^}]+}", "{}")))
                    .findFirst().orElse(null);
            assertThat(found).as("%s is in the OpenAPI document", route).isNotNull();
            @SuppressWarnings("unchecked")
            Map<String, Object> operation = (Map<String, Object>) paths.get(found).get(method);
            assertThat(operation).as(route).isNotNull();
            assertThat((String) operation.get("summary")).as("summary of %s", route).isNotBlank();
            assertThat((Map<?, ?>) operation.get("responses")).as("answers of %s", route).isNotEmpty();
        }
    }

    @Test
    void theDocumentIsValidOpenApi() {
        String document = RestAssured.given().header(SignedIn.ANONYMOUS, "1").queryParam("format", "json")
                .get("/q/openapi").then().statusCode(200).extract().asString();
        ParseOptions options = new ParseOptions();
        options.setValidateInternalRefs(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document, null, options);
        assertThat(parsed.getMessages()).as("what the OpenAPI parser found wrong").isEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
        assertThat(parsed.getOpenAPI().getPaths()).hasSizeGreaterThanOrEqualTo(25);
        // The parser does check: the same document with a misspelt field is refused.
        assertThat(new OpenAPIV3Parser().readContents(document.replaceFirst("\"responses\"", "\"responzes\""), null,
                options).getMessages()).isNotEmpty();
    }

    @Test
    void bulkBodiesAnswersAndErrorsHaveExamples() {
        JsonPath doc = RestAssured.given().header(SignedIn.ANONYMOUS, "1").queryParam("format", "json")
                .get("/q/openapi").then().statusCode(200).extract().jsonPath();
        String bulk = "paths.'/api/p/{project}/links/bulk'.post.";
        assertThat(doc.getList(bulk + "requestBody.content.'application/json'.examples.'two links'.value.links")).hasSize(2);
        assertThat(doc.getString(bulk + "requestBody.content.'application/x-ndjson'.examples.'one item a line'.value"))
                .contains("sourceId");
        for (String path : List.of("/api/p/{project}/links/bulk/delete", "/api/p/{project}/entities/bulk")) {
            assertThat(doc.getString("paths.'" + path + "'.post.requestBody.content.'application/x-ndjson'.examples"
                    + ".'one item a line'.value").lines()).as(path).hasSize(2);
        }
        assertThat(doc.getString(bulk + "responses.'202'.content.'application/json'.examples.accepted.value.result.'job.token'"))
                .isNotBlank();
        assertThat(doc.getInt(bulk + "responses.'401'.content.'application/json'.example.result.code")).isEqualTo(401);
        assertThat(doc.getBoolean(bulk + "responses.'404'.content.'application/json'.example.success")).isFalse();
        assertThat(doc.getMap("paths.'/api/auth'.post.responses")).containsKey("401").doesNotContainKey("403");
        assertThat(doc.getString("paths.'/api/p/{project}/records/bulk/link'.post.requestBody.content.'application/json'"
                + ".examples.'children and a search, minus one'.value.selection[1].children")).isNotBlank();
        assertThat(doc.getInt("paths.'/sync/get'.post.responses.'200'.content.'application/json'.examples.'a page'.value.result.sync[1].cursor"))
                .isEqualTo(42);
        assertThat(doc.getString("paths.'/sync/get'.post.responses.'200'.content.'application/json'.examples.'more remain'.value.result.warning"))
                .contains("call POST /sync/get again");
        assertThat(doc.getString("paths.'/sync/stream'.get.responses.'200'.content.'text/event-stream'.examples.'two events'.value"))
                .contains("id: 41", "event: jobs", "event: links");
    }
}
