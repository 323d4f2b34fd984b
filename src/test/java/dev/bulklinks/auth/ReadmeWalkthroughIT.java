package dev.bulklinks.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulklinks.fixtures.ServiceProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's walkthrough, run as written with bash, curl and jq against the packaged service on
 * a fresh embedded database, signing in with the admin key the service wrote at its first start.
 */
class ReadmeWalkthroughIT {

    @TempDir
    Path dir;

    /** The first sh block after the walkthrough's heading. */
    static String walkthrough() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("## Walkthrough");
        int start = readme.indexOf("```sh\n", section) + "```sh\n".length();
        return readme.substring(start, readme.indexOf("\n```", start));
    }

    @Test
    void theWalkthroughWorksAsWrittenWithTheBootstrapKey() throws Exception {
        Path work = dir.resolve("service");
        // No admin key configured: the service makes one and writes it next to where it runs.
        try (ServiceProcess service = ServiceProcess.start(work, Map.of("BULKLINKS_AUTH_ADMIN_API_KEY", ""))) {
            assertThat(work.resolve("admin-api-key")).exists();
            assertThat(service.log()).contains("created the user 'admin' and wrote its API key to");

            String script = walkthrough().replace("B=http://localhost:8080", "B=" + service.baseUrl());
            Process bash = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).directory(work.toFile())
                    .redirectErrorStream(true).start();
            assertThat(bash.waitFor(120, TimeUnit.SECONDS)).as("the walkthrough ends").isTrue();
            String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(bash.exitValue()).as(output).isZero();
            assertThat(output).contains("HTTP/1.1 202 Accepted", "\"status\": \"done\"", "\"succeeded\": 2",
                    "\"failed\": 1", "cannot join entity").doesNotContain("\"code\":401", "\"code\": 401");
        }
    }
}
