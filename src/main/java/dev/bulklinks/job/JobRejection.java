package dev.bulklinks.job;

import dev.bulklinks.api.ApiError;

/**
 * Thrown by a {@link BatchHandler} when the job as a whole cannot be done (a selection whose parent
 * is gone): the chunk rolls back, and the job is rejected with {@code error}.
 */
public class JobRejection extends RuntimeException {

    private final transient ApiError error;

    public JobRejection(ApiError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public ApiError error() {
        return error;
    }
}
