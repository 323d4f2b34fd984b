package dev.bulklinks.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.HeldLinks;
import dev.bulklinks.intake.Intake;
import dev.bulklinks.job.JobStatus;
import dev.bulklinks.job.JobView;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link JobWait}: a request waits for its job without a thread, and learns its end from the feed; past
 * its wait, or with Prefer: respond-async, it answers 202 with the token and Location.
 */
@QuarkusTest
class JobWaitTest {

    @Inject
    JobWait wait;

    @Inject
    AgroalDataSource dataSource;

    /** A job of one link that the held trigger stops until it is released. */
    private static UUID heldJob(Api.FolderPair pair) {
        Map<String, Object> link = new HashMap<>(Api.link(pair.a(), pair.b(), Api.BREAKDOWN));
        link.put("name", HeldLinks.NAME);
        return UUID.fromString(Api.submit(pair.project(), "/links/bulk", Map.of("links", List.of(link))));
    }

    @Test
    void aJobThatEndsWhileWaitedForCompletesTheWaitWithItsFinalStatus() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        try (HeldLinks held = HeldLinks.hold(dataSource)) {
            UUID token = heldJob(pair);
            CompletableFuture<Optional<JobView>> finished = wait.finished(pair.project(), token, Duration.ofMinutes(5))
                    .toCompletableFuture();
            await().atMost(Duration.ofSeconds(30)).until(() -> Api.job(pair.project(), token.toString())
                    .getString("status").equals("processing"));
            assertThat(finished).as("the job is held: the wait goes on").isNotDone();
            assertThat(wait.waiting()).isPositive();

            held.release();

            Optional<JobView> job = finished.get(60, TimeUnit.SECONDS);
            assertThat(job).isPresent();
            assertThat(job.get().token()).isEqualTo(token);
            assertThat(job.get().status()).isEqualTo(JobStatus.DONE);
            assertThat(job.get().info().succeeded()).isEqualTo(1);
        }
    }

    @Test
    void aJobThatEndedAlreadyAnswersAtOnce() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        String token = Api.submit(pair.project(), "/links/bulk",
                Map.of("links", List.of(Api.link(pair.a(), pair.b(), Api.BREAKDOWN))));
        Api.awaitFinal(pair.project(), token);

        Optional<JobView> job = wait.finished(pair.project(), UUID.fromString(token), Duration.ofMinutes(5))
                .toCompletableFuture().get(60, TimeUnit.SECONDS);

        assertThat(job).map(JobView::status).contains(JobStatus.DONE);
    }

    @Test
    void aJobHeldPastTheWaitEndsTheWaitEmptyAndRunsOnToDone() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        try (HeldLinks held = HeldLinks.hold(dataSource)) {
            UUID token = heldJob(pair);

            Optional<JobView> job = wait.finished(pair.project(), token, Duration.ofMillis(300)).toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);

            assertThat(job).as("past the wait: nothing, and the caller answers 202").isEmpty();
            assertThat(Api.job(pair.project(), token.toString()).getString("status")).isIn("queued", "processing");
            held.release();
            assertThat(Api.awaitFinal(pair.project(), token.toString()).getString("status")).isEqualTo("done");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> wait.waiting() == 0);
    }

    @Test
    void theAnswerPastTheWaitOrWithRespondAsyncIs202WithTokenAndLocation() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        try (HeldLinks held = HeldLinks.hold(dataSource)) {
            UUID token = heldJob(pair);
            Intake.Accepted accepted = new Intake.Accepted(token, false);

            CompletableFuture<Response> answer = wait.answer(pair.project(), accepted, "wait=5, respond-async",
                    job -> Response.ok("done").build()).toCompletableFuture();

            assertThat(answer).as("respond-async answers at once").isDone();
            Response response = answer.get();
            assertThat(response.getStatus()).isEqualTo(202);
            assertThat(response.getHeaderString("Location")).isEqualTo("/api/p/" + pair.project() + "/jobs/" + token);
            assertThat(response.getHeaderString("Preference-Applied")).isEqualTo("respond-async");
            held.release();
            Api.awaitFinal(pair.project(), token.toString());
        }
    }

    @Test
    void theAnswerOfAJobThatEndsInTimeIsWhatTheRouteMakesOfIt() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        String token = Api.submit(pair.project(), "/links/bulk",
                Map.of("links", List.of(Api.link(pair.a(), pair.b(), Api.BREAKDOWN))));

        Response response = wait.answer(pair.project(), new Intake.Accepted(UUID.fromString(token), false), null,
                job -> Response.ok(job.status().name().toLowerCase() + " " + job.info().succeeded()).build())
                .toCompletableFuture().get(60, TimeUnit.SECONDS);

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getEntity()).isEqualTo("done 1");
    }

    @Test
    void preferRespondAsyncIsReadAsRfc7240Writes() {
        assertThat(JobWait.respondAsync("respond-async")).isTrue();
        assertThat(JobWait.respondAsync("Respond-Async")).isTrue();
        assertThat(JobWait.respondAsync("return=minimal, respond-async; foo=bar")).isTrue();
        assertThat(JobWait.respondAsync("wait=10")).isFalse();
        assertThat(JobWait.respondAsync("respond-asynchronously")).isFalse();
        assertThat(JobWait.respondAsync(null)).isFalse();
    }
}
