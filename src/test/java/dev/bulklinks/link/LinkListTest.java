package dev.bulklinks.link;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static dev.bulklinks.fixtures.Api.link;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.bulklinks.fixtures.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Paging through a whole project's links: by id, each link once. */
@QuarkusTest
class LinkListTest {

    @Test
    void aProjectsLinksComeByIdEachOnce() {
        Api.FolderPair pair = Api.folderPair();
        String project = pair.project();
        List<Map<String, Object>> links = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            links.add(link(i % 2 == 0 ? pair.a() : pair.b(), i % 2 == 0 ? pair.b() : pair.a(), BREAKDOWN));
        }
        // One link with an id of the caller's: listed among the others by its id.
        Map<String, Object> given = new HashMap<>(link(pair.a(), pair.b(), BREAKDOWN));
        String givenId = "00000000-0000-4000-8000-000000000001";
        given.put("id", givenId);
        links.add(given);
        String token = Api.submit(project, "/links/bulk", Map.of("links", links));
        assertThat(Api.awaitFinal(project, token).getInt("info.succeeded")).isEqualTo(251);
        List<String> created = json().queryParam("limit", 1000).get("/api/p/{p}/jobs/{t}/results", project, token)
                .then().statusCode(200).extract().path("result.items.id");

        List<String> listed = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = json().queryParam("limit", 100);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/p/{p}/links", project).then().statusCode(200).extract().jsonPath();
            listed.addAll(page.getList("result.links.id"));
            cursor = page.getString("result.next_cursor");
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(listed).hasSize(251).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(created);
        assertThat(listed).isSortedAccordingTo((x, y) -> UUID.fromString(x).compareTo(UUID.fromString(y)));
        assertThat(listed.get(0)).as("the caller's id, the lowest").isEqualTo(givenId);
    }

    @Test
    void aCursorOfTheOtherKindOfListingIsRefused() {
        Api.FolderPair pair = Api.folderPair();
        json().queryParam("cursor", "0:17").get("/api/p/{p}/links", pair.project()).then().statusCode(400)
                .body("result.message", containsString("next_cursor"));
        json().queryParam("input", pair.a()).queryParam("cursor", UUID.randomUUID().toString())
                .get("/api/p/{p}/links", pair.project()).then().statusCode(400)
                .body("result.message", containsString("same input and output"));
    }
}
