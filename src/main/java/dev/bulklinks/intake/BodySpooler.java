package dev.bulklinks.intake;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.api.LimitedInputStream;
import dev.bulklinks.job.ChunkWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Map;

/**
 * Reads a bulk body, item by item, into the chunk rows of a {@link ChunkWriter}: each item is read to
 * its type (which checks it), written back as compact JSON, and refused when it holds the NUL
 * character or comes after the most items a job may hold. A plain class, so that its speed can be
 * measured without the service around it ({@code IntakeSpeedBench}).
 */
final class BodySpooler {

    private final ObjectMapper json;
    private final BodyReader reader;
    private final CsvItems csv;
    private final int maxItems;

    BodySpooler(ObjectMapper json, long maxItemBytes, int maxItems) {
        this.json = json;
        this.reader = new BodyReader(json, maxItemBytes);
        this.csv = new CsvItems(json, maxItemBytes);
        this.maxItems = maxItems;
    }

    /**
     * Reads every item of {@code body}, framed as {@code format}, into {@code writer}; answers the
     * option fields found beside a JSON body's item array (none for NDJSON and CSV).
     */
    <T> Map<String, JsonNode> spool(ItemSpec<T> spec, Intake.Format format, LimitedInputStream body, ChunkWriter writer)
            throws IOException, SQLException {
        // One generator and one buffer for every item, where writeValueAsBytes made a generator and a new
        // array for each: 1M link items take 0.95 s of CPU to read into the spool instead of 1.03 s
        // (IntakeSpeedBench, 2026-12-01, 2 cores shared).
        ItemBuffer buffer = new ItemBuffer();
        ObjectWriter out = json.writer();
        try (JsonGenerator generator = json.createGenerator(buffer)) {
            // Each item is a value of its own, with nothing between it and the one before.
            generator.setRootValueSeparator(null);
            BodyReader.Sink<T> sink = item -> {
                if (writer.count() == maxItems) {
                    throw ApiException.tooLarge("More than " + maxItems + " items; split the import"
                            + " into jobs of at most " + maxItems + ".");
                }
                buffer.reset();
                out.writeValue(generator, item);
                generator.flush();
                if (hasNul(buffer.bytes(), buffer.size())) {
                    throw ApiException.badRequest(spec.arrayField() + "[" + writer.count()
                            + "]: text must be valid UTF-8 without the NUL character (\\u0000).");
                }
                writer.add(buffer.bytes(), 0, buffer.size());
            };
            return switch (format) {
                case NDJSON -> {
                    reader.readNdjson(body, spec, sink);
                    yield Map.of();
                }
                case CSV -> {
                    csv.read(body, spec, sink);
                    yield Map.of();
                }
                case JSON -> reader.readJson(body, spec, sink);
            };
        }
    }

    /** The bytes of one item, written again and again into the same array. */
    private static final class ItemBuffer extends ByteArrayOutputStream {

        ItemBuffer() {
            super(1024);
        }

        byte[] bytes() {
            return buf;
        }
    }

    /** True when compact JSON holds the escape of the NUL character, which no text column can store. */
    static boolean hasNul(byte[] json) {
        return hasNul(json, json.length);
    }

    /** As {@link #hasNul(byte[])}, for the first {@code length} bytes of {@code json}. */
    static boolean hasNul(byte[] json, int length) {
        for (int i = length - 6; i >= 0; i--) {
            if (json[i] == '\\' && json[i + 1] == 'u' && json[i + 2] == '0' && json[i + 3] == '0'
                    && json[i + 4] == '0' && json[i + 5] == '0' && !escaped(json, i)) {
                return true;
            }
        }
        return false;
    }

    /** True when the backslash at {@code i} is itself escaped by an odd run of backslashes before it. */
    private static boolean escaped(byte[] json, int i) {
        int run = 0;
        for (int j = i - 1; j >= 0 && json[j] == '\\'; j--) {
            run++;
        }
        return run % 2 == 1;
    }
}
