package dev.bulklinks.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Turns Jackson's exceptions into messages that tell a caller which field to fix and how. */
public final class JsonProblems {

    private JsonProblems() {
    }

    /**
     * A 400 for a body that is not the JSON we expect; {@code prefix} names where it sits ("links[3]").
     * A refusal raised while Jackson read the body (a size limit) keeps its own status.
     */
    public static ApiException badRequest(JsonProcessingException e, String prefix) {
        ApiException refusal = Causes.find(e.getCause(), ApiException.class);
        return refusal != null ? refusal : ApiException.badRequest(describe(e, prefix));
    }

    static String describe(JsonProcessingException e, String prefix) {
        StrictJsonFactory.LoneSurrogate lone = Causes.find(e, StrictJsonFactory.LoneSurrogate.class);
        if (lone != null) {
            // Its own path runs from the document's root, wherever binding had got to.
            return lone.describe(prefix);
        }
        String where = path(e, prefix);
        if (e instanceof JsonMappingException && e.getCause() instanceof JsonProcessingException cause) {
            // A parser error met while binding, such as a stream limit: describe the parser's error.
            return (where.isEmpty() ? "" : where + ": ") + describe(cause, "");
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return "Unknown field '" + u.getPropertyName() + "'" + (where.isEmpty() ? "" : " in " + where)
                    + "; the fields allowed there are " + known(u.getKnownPropertyIds()) + ".";
        }
        if (e instanceof ValueInstantiationException v && v.getCause() != null) {
            return (where.isEmpty() ? "" : where + ": ") + v.getCause().getMessage();
        }
        if (e instanceof MismatchedInputException m) {
            String expected = expected(m.getTargetType());
            if (expected == null) {
                return "Unexpected JSON" + (where.isEmpty() ? "" : " at " + where) + ": " + firstLine(m.getOriginalMessage());
            }
            return (where.isEmpty() ? "The body" : where) + " must be " + expected + ".";
        }
        if (e instanceof StreamConstraintsException) {
            return "The JSON exceeds a limit: " + firstLine(e.getOriginalMessage()) + ". Keep strings under "
                    + JsonSettings.MAX_STRING_LENGTH + " characters and nesting under " + JsonSettings.MAX_NESTING
                    + " levels.";
        }
        if (e instanceof JsonEOFException) {
            return "The JSON ends too early" + location(e.getLocation()) + "; send a complete document.";
        }
        if (e instanceof JsonParseException) {
            return "Malformed JSON" + location(e.getLocation()) + ": " + firstLine(e.getOriginalMessage());
        }
        return "Invalid JSON" + (where.isEmpty() ? "" : " at " + where) + ": " + firstLine(e.getOriginalMessage());
    }

    private static String path(JsonProcessingException e, String prefix) {
        StringBuilder path = new StringBuilder(prefix);
        if (e instanceof JsonMappingException m) {
            for (JsonMappingException.Reference ref : m.getPath()) {
                if (ref.getFieldName() != null) {
                    path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    path.append('[').append(ref.getIndex()).append(']');
                }
            }
        }
        return path.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return null;
        }
        if (type == String.class || type.isEnum()) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || JsonNode.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        return null;
    }

    private static String known(Collection<Object> ids) {
        if (ids == null || ids.isEmpty()) {
            return "none";
        }
        List<String> names = ids.stream().map(String::valueOf).sorted().collect(Collectors.toList());
        return String.join(", ", names);
    }

    private static String location(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
