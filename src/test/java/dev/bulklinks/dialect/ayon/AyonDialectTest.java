package dev.bulklinks.dialect.ayon;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.SignedIn;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * AYON's clients against the dialect under {@code /ayon}, with the requests {@code ayon_api} sends (as read
 * in its source: server_api.py, utils.py, _api_helpers/links.py) and the answers ynput/ayon-backend gives
 * ({@code api/links/links.py}), every field and status checked. The links they make are the rows our own
 * API lists.
 */
@QuarkusTest
class AyonDialectTest {

    private static final String KEY = SignedIn.ADMIN_KEY;
    private static final String HEX = "^[0-9a-f]{32}$";

    @Inject
    AgroalDataSource dataSource;

    /** A request as ayon_api sends it: its own headers only (not the admin token the other tests get). */
    private static RequestSpecification ayon() {
        return given().header(SignedIn.ANONYMOUS, "1").contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    /** With the API key as ayon_api sends it first: Authorization: Bearer <key>. */
    private static RequestSpecification bearer(String secret) {
        return ayon().header("Authorization", "Bearer " + secret);
    }

    private static String uuid(String hex) {
        return UUID.fromString(hex.replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5")).toString();
    }

    /** A project made through AYON's route, with breakdown|folder|folder saved, as ayon-tests' fixture does. */
    private static String ayonProject() {
        String project = "ayon_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        bearer(KEY).body(Map.of("code", "test", "folderTypes", Map.of("Asset", Map.of()), "taskTypes",
                Map.of("Generic", Map.of()))).put("/ayon/api/projects/{p}", project).then().statusCode(201);
        bearer(KEY).body(Map.of()).put("/ayon/api/projects/{p}/links/types/{t}", project, "breakdown|folder|folder")
                .then().log().ifValidationFails().statusCode(204);
        return project;
    }

    private static String folder(String project, String name) {
        return bearer(KEY).body(Map.of("name", name, "folderType", "Asset")).post("/ayon/api/projects/{p}/folders", project)
                .then().statusCode(201).extract().path("id");
    }

    private static Map<String, Object> error(int code, String detail) {
        return Map.of("code", code, "detail", detail);
    }

    private static Map<String, Object> body(Response response) {
        return response.jsonPath().getMap("$");
    }

    @Test
    void theConnectionSequenceOfAyonApiSucceedsWithAKeyAsBearerThenAsXApiKey() {
        // is_server_available: GET <server url> must answer 200.
        ayon().get("/ayon").then().statusCode(200);
        // get_info: version, from which ayon_api decides to send links in bulk (1.15.8 on).
        JsonPath info = ayon().get("/ayon/api/info").then().statusCode(200).extract().jsonPath();
        assertThat(info.getString("version")).isEqualTo("1.15.8");
        assertThat(info.getDouble("uptime")).isPositive();
        // get_user: users/me with Authorization: Bearer <key>, then (on a non-200) with X-Api-Key: <key>.
        for (RequestSpecification request : List.of(bearer(KEY), ayon().header("X-Api-Key", KEY))) {
            Map<String, Object> me = body(request.get("/ayon/api/users/me").then().statusCode(200).extract().response());
            assertThat(me).containsEntry("name", "admin").containsEntry("active", true).containsEntry("isAdmin", true)
                    .containsEntry("isManager", true).containsEntry("isService", false).containsEntry("isGuest", false)
                    .containsEntry("isDeveloper", false).containsEntry("hasPassword", false)
                    .containsEntry("accessGroups", Map.of()).containsEntry("defaultAccessGroups", List.of())
                    .containsEntry("ownAttrib", List.of("fullName"))
                    .containsEntry("data", Map.of("isAdmin", true, "isManager", true));
            Map<String, Object> attrib = new HashMap<>();
            attrib.put("fullName", "admin");
            attrib.put("email", null);
            attrib.put("avatarUrl", null);
            assertThat(me.get("attrib")).isEqualTo(attrib);
            assertThat((String) me.get("createdAt")).matches("^\\d{4}-\\d\\d-\\d\\dT.*Z$");
            assertThat(me).containsKey("updatedAt").hasSize(15);
        }
        // What ayon_api reads when the key is wrong: a non-200, and the detail.
        assertThat(body(bearer("blk_not-a-key").get("/ayon/api/users/me").then().statusCode(401).extract().response()))
                .isEqualTo(error(401, "Unknown or revoked API key."));
        assertThat(body(ayon().get("/ayon/api/users/me").then().statusCode(401).extract().response()).get("code"))
                .isEqualTo(401);
    }

    @Test
    void aMemberUsesItsProjectsOnlyAndItsAllowList() {
        String project = ayonProject();
        String a = folder(project, "a");
        String b = folder(project, "b");
        Api.Member member = Api.member("ayon", project, Map.of("linkTypes", List.of("reference|folder|folder")));
        Map<String, Object> me = body(ayon().header("X-Api-Key", member.apiKey()).get("/ayon/api/users/me")
                .then().statusCode(200).extract().response());
        assertThat(me).containsEntry("name", member.name()).containsEntry("isAdmin", false).containsEntry("isManager", false);
        assertThat(body(bearer(member.apiKey()).body(Map.of("input", a, "output", b, "linkType", Api.BREAKDOWN))
                .post("/ayon/api/projects/{p}/links", project).then().statusCode(403).extract().response()))
                .isEqualTo(error(403, "You do not have permission to create this link type."));
        String other = ayonProject();
        Map<String, Object> refused = body(bearer(member.apiKey()).get("/ayon/api/projects/{p}/links/types", other)
                .then().statusCode(403).extract().response());
        assertThat(refused).containsOnlyKeys("code", "detail").containsEntry("code", 403);
    }

    @Test
    void linkTypesAreSavedListedAndDeletedAsAyonDoes() {
        String project = ayonProject();
        bearer(KEY).body(Map.of("data", Map.of("color", "#3f51b5")))
                .put("/ayon/api/projects/{p}/links/types/{t}", project, "reference|version|version").then().statusCode(204);
        Map<String, Object> breakdown = Map.of("name", "breakdown|folder|folder", "linkType", "breakdown",
                "inputType", "folder", "outputType", "folder", "data", Map.of());
        Map<String, Object> reference = Map.of("name", "reference|version|version", "linkType", "reference",
                "inputType", "version", "outputType", "version", "data", Map.of("color", "#3f51b5"));
        assertThat(body(bearer(KEY).get("/ayon/api/projects/{p}/links/types", project).then().statusCode(200)
                .extract().response())).isEqualTo(Map.of("types", List.of(breakdown, reference)));
        // ayon-tests' test_link_types_invalid: each of these is refused.
        for (String bad : List.of("whatever", "what|ever", "wha|t|ev|er", "breakdown|folder|product|",
                "breakdown|folder|product|what", "breakdown|what|ever", "breakdown|folder|what")) {
            Response response = bearer(KEY).body(Map.of()).put("/ayon/api/projects/{p}/links/types/{t}", project, bad);
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
        }
        assertThat(body(bearer(KEY).body(Map.of()).put("/ayon/api/projects/{p}/links/types/{t}", project, "breakdown|what|ever")
                .then().extract().response())).isEqualTo(error(400, "Link type input type must be one of 'folder',"
                        + " 'product', 'version', 'representation', or 'task'"));
        bearer(KEY).delete("/ayon/api/projects/{p}/links/types/{t}", project, "reference|version|version").then().statusCode(204);
        bearer(KEY).delete("/ayon/api/projects/{p}/links/types/{t}", project, "reference|version|version").then().statusCode(204);
        assertThat(body(bearer(KEY).get("/ayon/api/projects/{p}/links/types", project).then().statusCode(200)
                .extract().response())).isEqualTo(Map.of("types", List.of(breakdown)));
    }

    @Test
    void foldersProductsVersionsAndTasksAreOurEntities() {
        String project = ayonProject();
        String shots = folder(project, "shots");
        assertThat(shots).matches(HEX);
        String given = UUID.randomUUID().toString().replace("-", "");
        Map<String, Object> created = body(bearer(KEY).body(Map.of("id", given, "name", "sh010", "folderType", "Shot",
                "parentId", shots)).post("/ayon/api/projects/{p}/folders", project).then().statusCode(201).extract().response());
        assertThat(created).isEqualTo(Map.of("id", given));
        // ayon-tests writes folder_id; ayon_api writes folderId.
        String product = bearer(KEY).body(Map.of("name", "modelMain", "folder_id", given, "productType", "model"))
                .post("/ayon/api/projects/{p}/products", project).then().statusCode(201).extract().path("id");
        String version = bearer(KEY).body(Map.of("version", 3, "productId", product))
                .post("/ayon/api/projects/{p}/versions", project).then().statusCode(201).extract().path("id");
        String task = bearer(KEY).body(Map.of("name", "animation", "taskType", "Animation", "folderId", given))
                .post("/ayon/api/projects/{p}/tasks", project).then().statusCode(201).extract().path("id");

        JsonPath folder = Api.json().get("/api/p/{p}/entities/{id}", project, uuid(given)).then().statusCode(200)
                .extract().jsonPath().setRootPath("result");
        assertThat(folder.getString("type")).isEqualTo("folder");
        assertThat(folder.getString("name")).isEqualTo("sh010");
        assertThat(folder.getString("parent")).isEqualTo(uuid(shots));
        assertThat(folder.getMap("data")).isEqualTo(Map.of("folderType", "Shot"));
        JsonPath productView = Api.json().get("/api/p/{p}/entities/{id}", project, uuid(product)).then().statusCode(200)
                .extract().jsonPath().setRootPath("result");
        assertThat(productView.getString("type")).isEqualTo("product");
        assertThat(productView.getString("parent")).isEqualTo(uuid(given));
        assertThat(productView.getMap("data")).isEqualTo(Map.of("productType", "model"));
        JsonPath versionView = Api.json().get("/api/p/{p}/entities/{id}", project, uuid(version)).then().statusCode(200)
                .extract().jsonPath().setRootPath("result");
        assertThat(versionView.getString("name")).isEqualTo("v003");
        assertThat(versionView.getString("parent")).isEqualTo(uuid(product));
        assertThat(Api.json().get("/api/p/{p}/entities/{id}", project, uuid(task)).then().statusCode(200)
                .extract().<String>path("result.type")).isEqualTo("task");
        assertThat(body(bearer(KEY).body(Map.of("name", "orphan", "productType", "model"))
                .post("/ayon/api/projects/{p}/products", project).then().statusCode(400).extract().response()))
                .isEqualTo(error(400, "folderId is required: the id of the product's folder."));
    }

    @Test
    void oneLinkPassesAyonsChecksInAyonsOrderAndIsTheRowOurApiLists() {
        String project = ayonProject();
        String f1 = folder(project, "f1");
        String f2 = folder(project, "f2");
        bearer(KEY).body(Map.of()).put("/ayon/api/projects/{p}/links/types/{t}", project, "breakdown|folder|product")
                .then().statusCode(204);
        String missing = "1234abcd".repeat(4);
        String path = "/ayon/api/projects/" + project + "/links";
        Object[][] refusals = {
            {Map.of("input", f1, "output", f2), 400, "Link type is not specified"},
            {Map.of("input", f1, "output", f2, "linkType", "breakdown|folder"), 400,
                    "Link type must be in the format 'name|input_type|output_type'"},
            {Map.of("input", f1, "output", f1, "linkType", Api.BREAKDOWN), 400, "Cannot link an entity to itself."},
            {Map.of("input", missing, "output", f2, "link", Api.BREAKDOWN), 404, "Input entity " + missing + " not found."},
            // f2 is no product: AYON looks it up among the products, and does not find it.
            {Map.of("input", f1, "output", f2, "link", "breakdown|folder|product"), 404, "Output entity " + f2 + " not found."},
            {Map.of("input", f1, "output", f2, "link_type", "reference|folder|folder"), 400, "Unsupported link type."},
        };
        for (Object[] refusal : refusals) {
            assertThat(body(bearer(KEY).body(refusal[0]).post(path).then().extract().response()))
                    .as(refusal[0].toString()).isEqualTo(error((Integer) refusal[1], (String) refusal[2]));
        }

        Response created = bearer(KEY).body(Map.of("input", f1, "output", f2, "linkType", Api.BREAKDOWN, "name", "cast",
                "data", Map.of("occurrence", 1))).post(path);
        created.then().statusCode(200);
        String id = created.path("id");
        assertThat(body(created)).isEqualTo(Map.of("id", id));
        assertThat(id).matches(HEX);
        JsonPath ours = Api.json().get("/api/p/{p}/links/{id}", project, uuid(id)).then().statusCode(200).extract()
                .jsonPath().setRootPath("result");
        assertThat(ours.getString("input")).isEqualTo(uuid(f1));
        assertThat(ours.getString("output")).isEqualTo(uuid(f2));
        assertThat(ours.getString("linkType")).isEqualTo(Api.BREAKDOWN);
        assertThat(ours.getString("name")).isEqualTo("cast");
        assertThat(ours.getMap("data")).isEqualTo(Map.of("occurrence", 1));
        assertThat(ours.getString("author")).isEqualTo("admin");

        assertThat(body(bearer(KEY).body(Map.of("id", id, "input", f1, "output", f2, "linkType", Api.BREAKDOWN)).post(path)
                .then().extract().response())).isEqualTo(error(409, "Link already exists."));

        bearer(KEY).delete(path + "/" + id).then().statusCode(204);
        assertThat(body(bearer(KEY).delete(path + "/" + id).then().extract().response()))
                .isEqualTo(error(404, "Link " + id + " not found."));
        Api.json().get("/api/p/{p}/links/{id}", project, uuid(id)).then().statusCode(404);
    }

    @Test
    void theBulkRouteCreatesAllAtOnceAndAnswersTheCreatedLinks() {
        String project = ayonProject();
        String a = folder(project, "a");
        String b = folder(project, "b");
        String c = folder(project, "c");
        String given = UUID.randomUUID().toString().replace("-", "");
        List<Map<String, Object>> links = List.of(
                Map.of("input", a, "output", b, "linkType", Api.BREAKDOWN, "data", Map.of("occurrence", 1)),
                Map.of("id", given, "input", a, "output", b, "linkType", Api.BREAKDOWN, "data", Map.of("occurrence", 2)),
                Map.of("input", a, "output", c, "linkType", Api.BREAKDOWN, "name", "set"));
        Response response = bearer(KEY).body(Map.of("links", links)).post("/ayon/api/projects/{p}/links/bulk", project);
        response.then().statusCode(200);
        List<Map<String, Object>> created = response.jsonPath().getList("created");
        assertThat(body(response)).containsOnlyKeys("created");
        assertThat(created).hasSize(3);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Map<String, Object> link = created.get(i);
            assertThat(link).containsOnlyKeys("id", "input", "output", "linkType")
                    .containsEntry("input", a).containsEntry("output", i == 2 ? c : b).containsEntry("linkType", Api.BREAKDOWN);
            assertThat((String) link.get("id")).matches(HEX);
            ids.add((String) link.get("id"));
        }
        assertThat(ids.get(1)).isEqualTo(given);
        List<String> listed = Api.json().get("/api/p/{p}/links?input={a}", project, uuid(a)).then().statusCode(200)
                .extract().path("result.links.id");
        assertThat(listed).containsExactlyInAnyOrderElementsOf(ids.stream().map(AyonDialectTest::uuid).toList());
    }

    @Test
    void aBulkWithAnEndMissingAnswers404AndWritesNothing() {
        String project = ayonProject();
        String a = folder(project, "a");
        String b = folder(project, "b");
        String gone1 = "ffff0000".repeat(4);
        String gone2 = "0000ffff".repeat(4);
        List<Map<String, Object>> links = List.of(
                Map.of("input", a, "output", b, "linkType", Api.BREAKDOWN),
                Map.of("input", a, "output", gone1, "linkType", Api.BREAKDOWN),
                Map.of("input", gone2, "output", b, "linkType", Api.BREAKDOWN));
        assertThat(body(bearer(KEY).body(Map.of("links", links)).post("/ayon/api/projects/{p}/links/bulk", project)
                .then().statusCode(404).extract().response()))
                .isEqualTo(error(404, "Folder entities not found: " + gone2 + ", " + gone1));
        assertThat(Api.json().get("/api/p/{p}/links", project).then().statusCode(200).extract()
                .<List<Object>>path("result.links")).isEmpty();

        bearer(KEY).body(Map.of()).put("/ayon/api/projects/{p}/links/types/{t}", project, "breakdown|folder|product")
                .then().statusCode(204);
        assertThat(body(bearer(KEY).body(Map.of("links", List.of(Map.of("input", a, "output", b, "linkType",
                "breakdown|folder|product")))).post("/ayon/api/projects/{p}/links/bulk", project)
                .then().statusCode(404).extract().response()))
                .as("an end of the wrong type is not found in that type's table")
                .isEqualTo(error(404, "Product entities not found: " + b));
        assertThat(body(bearer(KEY).body(Map.of("links", List.of(Map.of("input", a, "output", b, "linkType",
                "reference|folder|folder")))).post("/ayon/api/projects/{p}/links/bulk", project)
                .then().statusCode(400).extract().response())).isEqualTo(error(400, "Unsupported link type."));
        assertThat(body(bearer(KEY).body(Map.of("links", List.of(Map.of("input", a, "output", b)))).post(
                "/ayon/api/projects/{p}/links/bulk", project).then().statusCode(400).extract().response()))
                .isEqualTo(error(400, "Link type is not specified"));
    }

    @Test
    void aBulkWithATakenIdAnswers409AndWritesNothing() {
        String project = ayonProject();
        String a = folder(project, "a");
        String b = folder(project, "b");
        String taken = bearer(KEY).body(Map.of("input", a, "output", b, "linkType", Api.BREAKDOWN))
                .post("/ayon/api/projects/{p}/links", project).then().statusCode(200).extract().path("id");
        List<Map<String, Object>> links = List.of(
                Map.of("input", b, "output", a, "linkType", Api.BREAKDOWN),
                Map.of("id", taken, "input", b, "output", a, "linkType", Api.BREAKDOWN));
        assertThat(body(bearer(KEY).body(Map.of("links", links)).post("/ayon/api/projects/{p}/links/bulk", project)
                .then().statusCode(409).extract().response())).isEqualTo(error(409, "One or more link IDs already exist."));
        assertThat(Api.json().get("/api/p/{p}/links", project).then().statusCode(200).extract()
                .<List<String>>path("result.links.id")).containsExactly(uuid(taken));
    }

    @Test
    void preferRespondAsyncAnswers202WithAJobThatEndsDone() {
        String project = ayonProject();
        String a = folder(project, "a");
        String b = folder(project, "b");
        Response response = bearer(KEY).header("Prefer", "respond-async")
                .body(Map.of("links", List.of(Map.of("input", a, "output", b, "linkType", Api.BREAKDOWN))))
                .post("/ayon/api/projects/{p}/links/bulk", project);
        response.then().statusCode(202);
        String token = response.path("result.'job.token'");
        assertThat(response.header("Location")).endsWith("/api/p/" + project + "/jobs/" + token);
        assertThat(Api.awaitFinal(project, token).getString("status")).isEqualTo("done");
    }

    @Test
    void aUserSignsInWithNameAndPasswordSetByAnAdminAndLogsOut() throws Exception {
        String project = ayonProject();
        Api.Member member = Api.member("artist", project, Map.of());
        Api.json().body(Map.of("password", "short")).put("/api/admin/users/{u}/password", member.id())
                .then().statusCode(400).body("result.code", org.hamcrest.Matchers.equalTo(400));
        Api.json().body(Map.of("password", "correct horse battery")).put("/api/admin/users/{u}/password", member.id())
                .then().statusCode(200).body("result.user", org.hamcrest.Matchers.equalTo(member.name()))
                .body("result.password", org.hamcrest.Matchers.equalTo(true));
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT password_hash FROM app_user WHERE name = ?")) {
            ps.setString(1, member.name());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getString(1)).as("only a bcrypt hash is stored").startsWith("$2").doesNotContain("horse");
            }
        }

        assertThat(body(ayon().body(Map.of("name", member.name(), "password", "wrong horse battery"))
                .post("/ayon/api/auth/login").then().statusCode(401).extract().response()))
                .isEqualTo(error(401, "Invalid login/password combination"));
        Response login = ayon().body(Map.of("name", member.name(), "password", "correct horse battery"))
                .post("/ayon/api/auth/login");
        login.then().statusCode(200);
        String token = login.path("token");
        assertThat(login.<String>path("detail")).isEqualTo("Logged in as " + member.name());
        assertThat(login.<String>path("user.name")).isEqualTo(member.name());
        assertThat(bearer(token).get("/ayon/api/users/me").then().statusCode(200).extract().<String>path("name"))
                .isEqualTo(member.name());
        assertThat(bearer(token).get("/ayon/api/users/me").then().extract().<Boolean>path("hasPassword")).isTrue();
        // The token works where its user may go: its membership applies.
        bearer(token).get("/ayon/api/projects/{p}/links/types", project).then().statusCode(200);
        bearer(token).get("/ayon/api/projects/{p}/links/types", ayonProject()).then().statusCode(403);

        bearer(token).post("/ayon/api/auth/logout").then().statusCode(200);
        assertThat(bearer(token).get("/ayon/api/users/me").then().statusCode(401).extract().<Integer>path("code"))
                .isEqualTo(401);
        // Logging out with an API key keeps the key.
        bearer(member.apiKey()).post("/ayon/api/auth/logout").then().statusCode(200);
        bearer(member.apiKey()).get("/ayon/api/users/me").then().statusCode(200);
    }

    @Test
    void eventsLinkCreatedAndOneLinksCreatedPerBulkJobAreInTheSyncFeed() {
        String project = ayonProject();
        String a = folder(project, "a");
        String b = folder(project, "b");
        long start = Api.json().body(Map.of()).post("/sync/cursors").then().statusCode(200).extract()
                .jsonPath().getLong("result.cursor");
        String one = bearer(KEY).body(Map.of("input", a, "output", b, "linkType", Api.BREAKDOWN))
                .post("/ayon/api/projects/{p}/links", project).then().statusCode(200).extract().path("id");
        List<String> bulk = bearer(KEY).body(Map.of("links", List.of(Map.of("input", a, "output", b, "linkType", Api.BREAKDOWN),
                Map.of("input", b, "output", a, "linkType", Api.BREAKDOWN)))).post("/ayon/api/projects/{p}/links/bulk", project)
                .then().statusCode(200).extract().path("created.id");

        List<Map<String, Object>> items = Api.json().body(Map.of("project", project, "cursor", start, "limit", 1000))
                .post("/sync/get").then().statusCode(200).extract().path("result.sync");
        List<Map<String, Object>> ayonEvents = items.stream()
                .filter(item -> ((String) item.get("data_type")).endsWith(".created")).toList();
        assertThat(ayonEvents).hasSize(2);
        Map<String, Object> linkCreated = ayonEvents.get(0);
        assertThat(linkCreated).containsEntry("type", project).containsEntry("action", "INSERT")
                .containsEntry("data_type", "link.created").containsEntry("data_key", one);
        assertThat(linkCreated.get("data")).isEqualTo(Map.of("topic", "link.created", "project", project, "user", "admin",
                "description", "Created breakdown link between folder " + a + " and folder " + b + ".",
                "summary", summary(one, a, b)));
        Map<String, Object> linksCreated = ayonEvents.get(1);
        assertThat(linksCreated).containsEntry("data_type", "links.created").containsEntry("action", "INSERT");
        assertThat(linksCreated.get("data")).isEqualTo(Map.of("topic", "links.created", "project", project, "user", "admin",
                "description", "Created 2 links.", "summary", Map.of("count", 2, "links",
                        List.of(summary(bulk.get(0), a, b), summary(bulk.get(1), b, a)))));
    }

    @Test
    void everyAyonRouteIsDocumentedUnderTheAyonTag() {
        JsonPath document = given().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Map<String, Object>>> paths = document.getMap("paths");
        List<String> ayonOperations = new ArrayList<>();
        paths.forEach((path, operations) -> {
            if (path.startsWith("/ayon")) {
                operations.forEach((method, operation) -> {
                    ayonOperations.add(method + " " + path);
                    assertThat(operation.get("tags")).as(method + " " + path).isEqualTo(List.of("AYON"));
                });
            }
        });
        assertThat(ayonOperations).hasSize(17);
    }

    private static Map<String, Object> summary(String id, String input, String output) {
        return Map.of("id", id, "linkType", "breakdown", "inputType", "folder", "outputType", "folder",
                "inputId", input, "outputId", output);
    }
}
