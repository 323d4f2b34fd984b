package dev.bulklinks.api;

import java.util.Map;

/**
 * A request the service refuses, with the message the caller sees. Thrown anywhere; turned into the
 * contract's envelope by {@link ErrorMapper} and nowhere else.
 */
public class ApiException extends RuntimeException {

    private final transient ApiError error;

    public ApiException(ApiError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public ApiError error() {
        return error;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(new ApiError(400, message, null));
    }

    /** Not allowed (403): the caller is known, but may not do this. */
    public static ApiException forbidden(String message) {
        return new ApiException(new ApiError(403, message, null));
    }

    public static ApiException notFound(String message) {
        return new ApiException(new ApiError(404, message, null));
    }

    public static ApiException conflict(String message) {
        return new ApiException(new ApiError(409, message, null));
    }

    public static ApiException gone(String message, Map<String, Object> info) {
        return new ApiException(new ApiError(410, message, info));
    }

    public static ApiException tooLarge(String message) {
        return new ApiException(new ApiError(413, message, null));
    }

    public static ApiException invalid(String message, Map<String, Object> info) {
        return new ApiException(new ApiError(ApiError.VALIDATION, message, info));
    }

    public static ApiException unavailable(String message) {
        return new ApiException(new ApiError(503, message, null));
    }
}
