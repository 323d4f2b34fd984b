package dev.bulklinks.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulklinks.fixtures.Chromium;
import dev.bulklinks.fixtures.ServiceProcess;
import dev.bulklinks.fixtures.TwoInstances;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The dashboard's instances view over two packaged instances of one database: each page lists both, alive,
 * whichever instance serves it; one stopped is shown gone.
 */
class DashboardInstancesIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void bothInstancesOfOneDatabaseAreListedAndAStoppedOneIsGone() {
        WebDriver browser = Chromium.open();
        try (TwoInstances instances = TwoInstances.start(dir, Map.of("BULKLINKS_INSTANCES_HEARTBEAT", "1s"))) {
            TwoInstances.api(instances.following).body(Map.of("name", "watched")).post("/api/projects").then().statusCode(201);
            browser.get(instances.following.baseUrl() + "/dashboard/?project=watched");
            await().atMost(WAIT).ignoreExceptions().until(() -> browser.findElement(By.id("api-key")).isDisplayed());
            browser.findElement(By.id("api-key")).sendKeys(ServiceProcess.ADMIN_KEY);
            browser.findElement(By.cssSelector("#login-form button")).click();

            await().atMost(WAIT).ignoreExceptions().until(() -> rows(browser, "alive").size() == 2);
            List<String> workers = rows(browser, "alive").stream()
                    .map(row -> row.findElements(By.tagName("td")))
                    .map(cells -> cells.get(2).getText() + "+" + cells.get(3).getText()).toList();
            // The following instance runs no workers; the working one has the default two and one for small jobs.
            assertThat(workers).containsExactlyInAnyOrder("0+0", "0+3");

            instances.working.close();
            await().atMost(WAIT).ignoreExceptions().until(() -> rows(browser, "alive").size() == 1
                    && rows(browser, "gone").size() == 1);
            assertThat(rows(browser, "gone").get(0).findElements(By.tagName("td")).get(1).getText()).isEqualTo("stopped");
        } finally {
            browser.quit();
        }
    }

    private static List<WebElement> rows(WebDriver browser, String state) {
        return browser.findElements(By.cssSelector("#instances tbody tr." + state));
    }
}
