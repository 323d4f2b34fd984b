package dev.bulklinks.intake;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.api.JsonProblems;
import dev.bulklinks.api.LimitedInputStream;
import java.io.IOException;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Reads a bulk body as it arrives, one item at a time, with Jackson's streaming parser: a JSON object
 * holding the item array, or NDJSON with one item a line. Memory holds one item, whatever the size.
 * Any malformed part is a 400 naming the item; the caller's transaction then stores nothing.
 */
final class BodyReader {

    /** Receives each item, in order. */
    interface Sink<T> {
        void accept(T item) throws SQLException, IOException;
    }

    private final ObjectMapper json;
    private final long maxItemBytes;

    BodyReader(ObjectMapper json, long maxItemBytes) {
        this.json = json;
        this.maxItemBytes = maxItemBytes;
    }

    /** Reads {@code {"<array>": [...], <options>}}; answers the option fields found. */
    <T> Map<String, JsonNode> readJson(LimitedInputStream body, ItemSpec<T> spec, Sink<T> sink) throws IOException, SQLException {
        Map<String, JsonNode> options = new HashMap<>();
        Where where = new Where();
        try (JsonParser p = json.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ApiException.badRequest("The body must be a JSON object: {\"" + spec.arrayField() + "\": [...]}.");
            }
            boolean sawItems = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals(spec.arrayField())) {
                    if (!p.isExpectedStartArrayToken()) {
                        throw ApiException.badRequest(field + " must be an array of "
                                + (spec.type() == String.class ? "strings." : "objects."));
                    }
                    sawItems = true;
                    ObjectReader reader = reader(spec.type());
                    int index = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        where.arrayItem(field, index++);
                        body.startItem(where, maxItemBytes);
                        sink.accept(readItem(p, reader, spec, where));
                    }
                    where.none();
                } else if (spec.options().contains(field)) {
                    options.put(field, reader(JsonNode.class).readValue(p));
                } else {
                    TreeSet<String> allowed = new TreeSet<>(spec.options());
                    allowed.add(spec.arrayField());
                    throw ApiException.badRequest("Unknown field '" + field + "'; the fields allowed are "
                            + String.join(", ", allowed) + ".");
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw ApiException.badRequest("The body must be one JSON object and nothing after it.");
            }
            if (!sawItems) {
                throw ApiException.badRequest(spec.arrayField() + " is required: {\"" + spec.arrayField() + "\": [...]}.");
            }
            return options;
        } catch (JsonProcessingException e) {
            throw JsonProblems.badRequest(e, where.get());
        }
    }

    /** Reads NDJSON: one item a line; blank lines are skipped. */
    <T> void readNdjson(LimitedInputStream body, ItemSpec<T> spec, Sink<T> sink) throws IOException, SQLException {
        Where where = new Where();
        try (JsonParser p = json.createParser(body)) {
            ObjectReader reader = reader(spec.type());
            int index = 0;
            while (p.nextToken() != null) {
                where.line(index++, p.currentTokenLocation().getLineNr());
                body.startItem(where, maxItemBytes);
                sink.accept(readItem(p, reader, spec, where));
            }
        } catch (JsonProcessingException e) {
            throw JsonProblems.badRequest(e, where.get());
        }
    }

    /** Reads values from a parser that goes on past them: what follows is the rest of the body, not an error. */
    private ObjectReader reader(Class<?> type) {
        return json.readerFor(type).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * The item being read ("links[3]", or "item 3 (line 4)" in NDJSON; "" between items), named only when
     * an error needs it: naming each of a million items up front took about 2% of reading them (JFR of
     * IntakeSpeedBench, 2026-12-01, 2 cores; the gain is within that machine's noise).
     */
    private static final class Where implements Supplier<String> {
        private String array;
        private int index = -1;
        private int line;

        void arrayItem(String array, int index) {
            this.array = array;
            this.index = index;
        }

        void line(int index, int line) {
            this.array = null;
            this.index = index;
            this.line = line;
        }

        void none() {
            index = -1;
        }

        @Override
        public String get() {
            return index < 0 ? "" : array != null ? array + "[" + index + "]" : "item " + index + " (line " + line + ")";
        }
    }

    private <T> T readItem(JsonParser p, ObjectReader reader, ItemSpec<T> spec, Where where) throws IOException {
        if (spec.type() == String.class) {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw ApiException.badRequest(where.get() + " must be a string.");
            }
            return spec.type().cast(p.getText());
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw ApiException.badRequest(where.get() + " must be an object.");
        }
        T item = reader.readValue(p);
        String missing = spec.missingField().apply(item);
        if (missing != null) {
            throw ApiException.badRequest(where.get() + ": " + missing + " is required.");
        }
        return item;
    }
}
