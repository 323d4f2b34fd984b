package dev.bulklinks.auth;

import dev.bulklinks.api.ApiError;
import dev.bulklinks.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The per-key limit on bulk submissions: {@code bulklinks.auth.submissions-per-minute} jobs in any
 * minute, counted from the jobs table, so the limit holds across instances with no state of its own.
 * Submissions racing each other may pass it by a few.
 */
@ApplicationScoped
public class SubmissionLimit {

    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final AuthRepository repository;
    private final AuthConfig config;

    SubmissionLimit(AuthRepository repository, AuthConfig config) {
        this.repository = repository;
        this.config = config;
    }

    /** Answers 429, with the seconds to wait in {@code Retry-After}, when {@code key} is over its limit. */
    public void check(UUID key) throws SQLException {
        if (key == null) {
            return;
        }
        AuthRepository.Recent recent = repository.submissions(key, WINDOW);
        if (recent.count() < config.submissionsPerMinute()) {
            return;
        }
        long wait = recent.oldest() == null ? 1
                : Math.max(1, Duration.between(Instant.now(), recent.oldest().plus(WINDOW)).toSeconds() + 1);
        throw new ApiException(new ApiError(429, "This API key submitted " + recent.count() + " jobs in the last"
                + " minute, the most allowed is " + config.submissionsPerMinute() + "; try again in " + wait
                + " s, or send more items per job.", Map.of("retryAfter", wait)));
    }
}
