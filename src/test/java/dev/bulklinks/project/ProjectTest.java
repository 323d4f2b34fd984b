package dev.bulklinks.project;

import static dev.bulklinks.fixtures.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ProjectTest {

    @Test
    void createReadAndList() {
        String name = "p" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        json().body(Map.of("name", name)).post("/api/projects").then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/projects/" + name))
                .body("result.name", equalTo(name));
        json().get("/api/projects/{p}", name).then().statusCode(200).body("result.name", equalTo(name));
        json().get("/api/projects").then().statusCode(200).body("result.projects.name", hasItem(name));
        json().body(Map.of("name", name)).post("/api/projects").then().statusCode(409)
                .body("result.message", equalTo("Project '" + name + "' already exists."));
    }

    @Test
    void racingCreatesOfOneNameGiveOneProjectAndConflicts() throws Exception {
        String name = "race" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> statuses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            statuses.add(pool.submit(() -> json().body(Map.of("name", name)).post("/api/projects").statusCode()));
        }
        List<Integer> answered = new ArrayList<>();
        for (Future<Integer> status : statuses) {
            answered.add(status.get());
        }
        pool.shutdown();
        assertThat(answered).containsOnly(201, 409).filteredOn(s -> s == 201).hasSize(1);
    }
}
