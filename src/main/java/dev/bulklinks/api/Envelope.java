package dev.bulklinks.api;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * The body of every {@code /api} response (Unicat style): {@code success}, the {@code result} the
 * caller asked for, and {@code data}, reserved for related records and always an object.
 */
@JsonPropertyOrder({"success", "result", "data"})
public record Envelope(boolean success, Object result, Map<String, Object> data) {

    public static Envelope of(Object result) {
        return new Envelope(true, result, Map.of());
    }

    public static Envelope error(ApiError error) {
        return new Envelope(false, error, Map.of());
    }
}
