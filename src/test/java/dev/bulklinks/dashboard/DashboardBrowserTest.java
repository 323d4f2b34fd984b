package dev.bulklinks.dashboard;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.Chromium;
import dev.bulklinks.fixtures.HeldLinks;
import dev.bulklinks.fixtures.SignedIn;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real browser (Debian's chromium, headless, through chromedriver). Chunks are
 * held for real ({@link HeldLinks}) where the test needs a job to stay in progress.
 */
@QuarkusTest
class DashboardBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    AgroalDataSource dataSource;

    @TestHTTPResource("/dashboard")
    URL dashboard;

    private WebDriver browser;
    private HeldLinks held;

    @BeforeEach
    void open() throws Exception {
        browser = Chromium.open();
        held = HeldLinks.hold(dataSource);
    }

    @AfterEach
    void close() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (held != null) {
            held.close();
        }
    }

    private WebElement find(String css) {
        return await().atMost(WAIT).ignoreExceptions().until(() -> browser.findElement(By.cssSelector(css)), e -> e.isDisplayed());
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private double progress(String token) {
        WebElement bar = browser.findElement(By.cssSelector("#job-" + token + " progress"));
        return Double.parseDouble(bar.getAttribute("value")) / Double.parseDouble(bar.getAttribute("max"));
    }

    @Test
    void watchAJobToItsEndOpenItsFailuresAndCancelAnother() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        String project = pair.project(), a = pair.a(), b = pair.b();

        browser.get(dashboard + "/?project=" + project);
        find("#api-key").sendKeys(SignedIn.ADMIN_KEY);
        browser.findElement(By.cssSelector("#login-form button")).click();
        find("#jobs");
        ((JavascriptExecutor) browser).executeScript("window.notReloaded = true;");

        // 1,000 links in 10 chunks; chunk 5 is held, and three of its links link an entity to itself (they fail).
        List<Map<String, Object>> links = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Map<String, Object> link = new java.util.HashMap<>(Api.link(a, i == 551 || i == 552 || i == 553 ? a : b, BREAKDOWN));
            if (i == 550) {
                link.put("name", HeldLinks.NAME);
            }
            links.add(link);
        }
        String watched = Api.submit(project, "/links/bulk", Map.of("links", links));
        String toCancel = Api.submit(project, "/links/bulk", Map.of("links",
                List.of(Map.of("input", a, "output", b, "linkType", BREAKDOWN, "name", HeldLinks.NAME))));

        find("#job-" + watched);
        await().atMost(WAIT).ignoreExceptions().until(() -> progress(watched) >= 0.9);
        assertThat(progress(watched)).as("in progress, its held chunk not done").isLessThan(1.0);
        // The chart's figures, from the server: nine chunks processed; the held one and the other job wait.
        await().atMost(WAIT).until(() -> browser.findElement(By.id("chart-summary")).getText()
                .equals("900 items processed in the last 15 minutes; 101 waiting now."));
        Files.createDirectories(Path.of("target"));
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), Path.of("target/dashboard.png"),
                StandardCopyOption.REPLACE_EXISTING);

        // Cancel the other job with its button.
        find("#job-" + toCancel + " a").click();
        find("#cancel").click();
        await().atMost(WAIT).until(() -> browser.findElement(By.id("job-status")).getText().equals("cancelled"));
        assertThat(Api.job(project, toCancel).getString("status")).isEqualTo("cancelled");

        // The watched job's page, open while its held chunk waits: nothing has failed yet.
        browser.findElement(By.cssSelector("#job a")).click();
        find("#job-" + watched + " a").click();
        await().atMost(WAIT).until(() -> browser.findElement(By.id("job-token")).getText().equals(watched)
                && browser.findElement(By.id("job-status")).getText().equals("processing")
                && browser.findElement(By.id("failed-page")).getText().equals("none"));
        // The chunk is let go: the page shows the job's end and the failures of that last chunk, without a reload.
        held.release();
        try {
            await().atMost(WAIT).until(() -> browser.findElement(By.id("job-status")).getText().equals("done")
                    && browser.findElements(By.cssSelector("#failed tbody tr")).size() == 3);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(String.format("the job's page has not both its end and three failed items; it shows"
                    + " %s: job %s, status %s, %d failed rows, job error '%s', filter error '%s'", browser.getCurrentUrl(),
                    text("job-token"), text("job-status"), browser.findElements(By.cssSelector("#failed tbody tr")).size(),
                    text("job-error"), text("filter-error")), e);
        }
        List<String> indexes = browser.findElements(By.cssSelector("#failed tbody tr td:first-child")).stream()
                .map(WebElement::getText).toList();
        assertThat(indexes).containsExactly("551", "552", "553");
        assertThat(browser.findElement(By.id("count-failed")).getText()).isEqualTo("3");
        assertThat(browser.findElement(By.id("count-succeeded")).getText()).isEqualTo("997");
        assertThat(((JavascriptExecutor) browser).executeScript("return window.notReloaded === true")).isEqualTo(true);

        // Back on the list: 100 % and done, and the chart counts all of it.
        browser.findElement(By.cssSelector("#job a")).click();
        await().atMost(WAIT).ignoreExceptions().until(() -> progress(watched) == 1.0
                && browser.findElement(By.cssSelector("#job-" + watched + " .status")).getText().equals("done"));
        await().atMost(WAIT).until(() -> browser.findElement(By.id("chart-summary")).getText()
                .equals("1,000 items processed in the last 15 minutes; 0 waiting now."));
        find("#job-" + watched + " a").click();
        await().atMost(WAIT).until(() -> browser.findElement(By.id("job-token")).getText().equals(watched)
                && browser.findElements(By.cssSelector("#failed tbody tr")).size() == 3);

        // "Retry failed items": a new job of the three, which fail again (they still link an entity to itself).
        find("#retry").click();
        await().atMost(WAIT).ignoreExceptions().until(() -> !browser.findElement(By.id("job-token")).getText().equals(watched)
                && browser.findElement(By.id("job-status")).getText().equals("done")
                && browser.findElement(By.id("count-total")).getText().equals("3"));
        String retry = browser.findElement(By.id("job-token")).getText();
        assertThat(Api.job(project, retry).getString("options.retry_of")).isEqualTo(watched);
        await().atMost(WAIT).until(() -> browser.findElements(By.cssSelector("#failed tbody tr")).size() == 3);
        assertThat(browser.findElement(By.id("count-failed")).getText()).isEqualTo("3");
        browser.get(dashboard + "/?project=" + project + "#job/" + watched);
        find("#job-status");

        // A token past half its lifetime: the page switches to the renewed one its answers carry.
        String old = nearExpiry(SignedIn.bearer().substring("Bearer ".length()));
        JavascriptExecutor page = (JavascriptExecutor) browser;
        page.executeScript("sessionStorage.setItem('bulklinks.token', arguments[0]); location.reload();", old);
        find("#job-status"); // the job's page again, signed in with the old token
        await().atMost(WAIT).until(() -> {
            Object kept = page.executeScript("return sessionStorage.getItem('bulklinks.token')");
            return kept != null && !kept.equals(old);
        });
        assertThat((String) page.executeScript("return sessionStorage.getItem('bulklinks.token')")).startsWith("ey");
        assertThat(browser.findElement(By.id("login")).isDisplayed()).isFalse();
    }

    @Test
    void anotherProjectOrASignOutEndsTheStreamAndTheNextOneStartsAnew() {
        Api.FolderPair first = Api.folderPair();
        Api.FolderPair second = Api.folderPair();
        browser.get(dashboard + "/?project=" + first.project());
        signIn();

        // An admin sees the service's instances: this one, alive, with the test profile's four workers.
        await().atMost(WAIT).until(() -> browser.findElements(By.cssSelector("#instances tbody tr.alive")).size() == 1);
        List<WebElement> cells = browser.findElements(By.cssSelector("#instances tbody tr.alive td"));
        assertThat(cells.get(1).getText()).isEqualTo("alive");
        assertThat(Integer.parseInt(cells.get(2).getText()) + Integer.parseInt(cells.get(3).getText())).isEqualTo(4);

        // Another project: its jobs arrive live, the first project's no longer do.
        find("#project").click();
        find("#project option[value='" + second.project() + "']").click();
        await().atMost(WAIT).until(() -> browser.findElements(By.cssSelector("#counts li")).size() == 5);
        String left = Api.submit(first.project(), "/links/bulk", Map.of("links", List.of(Api.link(first.a(), first.b(), BREAKDOWN))));
        String shown = Api.submit(second.project(), "/links/bulk", Map.of("links", List.of(Api.link(second.a(), second.b(), BREAKDOWN))));
        Api.awaitFinal(first.project(), left);
        await().atMost(WAIT).until(() -> browser.findElement(By.cssSelector("#job-" + shown + " .status")).getText().equals("done"));
        assertThat(browser.findElements(By.id("job-" + left))).as("a job of the project left").isEmpty();

        // Signed out and in again: the stream starts again (it stayed ended before).
        browser.findElement(By.id("logout")).click();
        signIn();
        await().atMost(WAIT).until(() -> browser.findElements(By.cssSelector("#job-" + shown)).size() == 1);
        // The new stream starts from the moment it connects, which the page does not show: a job submitted
        // before that is not news to it. So jobs are submitted until one arrives live (none ever did).
        List<String> after = new ArrayList<>();
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(2)).until(() -> {
            after.add(Api.submit(second.project(), "/links/bulk",
                    Map.of("links", List.of(Api.link(second.a(), second.b(), BREAKDOWN)))));
            return after.stream().anyMatch(token -> !browser.findElements(By.id("job-" + token)).isEmpty());
        });
    }

    @Test
    void jobsAreFilteredByKindAndFoundByToken() {
        Api.FolderPair p = Api.folderPair();
        String links = Api.submit(p.project(), "/links/bulk", Map.of("links", List.of(Api.link(p.a(), p.b(), BREAKDOWN))));
        String entities = Api.submit(p.project(), "/entities/bulk", Map.of("entities", List.of(Map.of("type", "folder", "name", "c"))));
        Api.awaitFinal(p.project(), links);
        Api.awaitFinal(p.project(), entities);
        browser.get(dashboard + "/?project=" + p.project());
        signIn();
        await().atMost(WAIT).until(() -> browser.findElements(By.cssSelector("#jobs tbody tr")).size() == 2);

        find("#filter-kind").click();
        find("#filter-kind option[value='bulk_upsert_entities']").click();
        find("#filters button").click();
        await().atMost(WAIT).until(() -> browser.findElements(By.cssSelector("#jobs tbody tr")).size() == 1
                && !browser.findElements(By.id("job-" + entities)).isEmpty());
        // A job of another kind submitted now does not join the filtered list; one of the kind does.
        String other = Api.submit(p.project(), "/links/bulk", Map.of("links", List.of(Api.link(p.b(), p.a(), BREAKDOWN))));
        String more = Api.submit(p.project(), "/entities/bulk", Map.of("entities", List.of(Map.of("type", "folder", "name", "d"))));
        await().atMost(WAIT).until(() -> !browser.findElements(By.id("job-" + more)).isEmpty());
        Api.awaitFinal(p.project(), other);
        assertThat(browser.findElements(By.id("job-" + other))).isEmpty();

        find("#find-token").sendKeys(links);
        find("#filters button").click();
        await().atMost(WAIT).until(() -> browser.findElement(By.id("job-token")).getText().equals(links));
        browser.findElement(By.cssSelector("#job a")).click();
        find("#find-token").sendKeys("not-a-token");
        find("#filters button").click();
        await().atMost(WAIT).until(() -> browser.findElement(By.id("filter-error")).getText().startsWith("A job token looks like"));
    }

    @Test
    void aWebhooksDeliveriesShowHowTheirSendingWent() {
        Api.FolderPair p = Api.folderPair();
        // Port 9 of this machine answers nothing: every attempt fails and the delivery stays pending.
        String hook = json().body(Map.of("url", "http://127.0.0.1:9/hook")).post("/api/p/{p}/webhooks", p.project())
                .then().statusCode(201).extract().path("result.id");
        try {
            String job = Api.submit(p.project(), "/links/bulk", Map.of("links", List.of(Api.link(p.a(), p.b(), BREAKDOWN))));
            Api.awaitFinal(p.project(), job);
            browser.get(dashboard + "/?project=" + p.project());
            signIn();
            find("#webhook-" + hook + " button").click();
            await().atMost(WAIT).ignoreExceptions().until(() -> {
                List<WebElement> cells = browser.findElements(By.cssSelector("#deliveries tbody tr td"));
                return cells.get(1).getText().equals("job.finished") && cells.get(2).getText().equals(job.substring(0, 8))
                        && cells.get(3).getText().equals("pending") && Integer.parseInt(cells.get(4).getText()) >= 1
                        && !cells.get(6).getText().isEmpty();
            });
            assertThat(browser.findElement(By.id("deliveries-url")).getText()).isEqualTo("http://127.0.0.1:9/hook");
        } finally {
            json().delete("/api/p/{p}/webhooks/{id}", p.project(), hook).then().statusCode(200);
        }
    }

    private void signIn() {
        find("#api-key").clear();
        find("#api-key").sendKeys(SignedIn.ADMIN_KEY);
        browser.findElement(By.cssSelector("#login-form button")).click();
        find("#jobs");
        await().atMost(WAIT).until(() -> browser.findElements(By.cssSelector("#counts li")).size() == 5);
    }

    /** The same claims as {@code token}, signed with the service's key, issued 50 minutes ago and valid 10 more. */
    private String nearExpiry(String token) throws Exception {
        com.fasterxml.jackson.databind.JsonNode claims = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        String privateKey;
        try (java.sql.Connection c = dataSource.getConnection();
                java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT private_key FROM signing_key")) {
            rs.next();
            privateKey = rs.getString(1);
        }
        return io.smallrye.jwt.build.Jwt.issuer("bulk-links").subject(claims.path("sub").asText())
                .upn(claims.path("upn").asText()).claim("key", claims.path("key").asText())
                .issuedAt(java.time.Instant.now().minus(Duration.ofMinutes(50)))
                .expiresAt(java.time.Instant.now().plus(Duration.ofMinutes(10)))
                .jws().sign(io.smallrye.jwt.util.KeyUtils.decodePrivateKey(privateKey));
    }
}
