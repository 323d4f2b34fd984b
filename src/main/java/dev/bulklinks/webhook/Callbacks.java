package dev.bulklinks.webhook;

import dev.bulklinks.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * A submission's {@code callback}: a URL told when the job ends, as a webhook hears {@code job.finished}
 * (same body, headers and retries), signed with the project's callback secret. Its host must be one a webhook
 * may call ({@link Destinations}): checked when the job is submitted, and again before each attempt.
 */
@ApplicationScoped
public class Callbacks {

    private final Destinations destinations;

    Callbacks(Destinations destinations) {
        this.destinations = destinations;
    }

    /** Refuses (422, code 1001) a callback the service may not call; null, no callback, passes. */
    public void require(String url) {
        if (url == null) {
            return;
        }
        destinations.refusal(url).ifPresent(why -> {
            throw ApiException.invalid("callback: " + why, Map.of("callback", url));
        });
    }
}
