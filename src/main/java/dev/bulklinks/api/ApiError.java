package dev.bulklinks.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * An error as the contract writes it: {@code code} is the HTTP status, or an application code
 * ({@link #VALIDATION} or {@link #SELECTION}) sent with 422; {@code info} carries details.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"code", "message", "info"})
public record ApiError(int code, String message, Map<String, Object> info) {

    /** Well-formed but invalid input; details in {@code info}. */
    public static final int VALIDATION = 1001;
    /** A bulk selection that cannot be read or expanded. */
    public static final int SELECTION = 1006;

    public ApiError {
        info = info == null ? Map.of() : info;
    }

    /** The HTTP status that carries this error. */
    public int status() {
        return code >= 1000 ? 422 : code;
    }
}
