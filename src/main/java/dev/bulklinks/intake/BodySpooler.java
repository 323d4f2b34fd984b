package dev.bulklinks.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.api.LimitedInputStream;
import dev.bulklinks.job.ChunkWriter;
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
        BodyReader.Sink<T> sink = item -> {
            if (writer.count() == maxItems) {
                throw ApiException.tooLarge("More than " + maxItems + " items; split the import"
                        + " into jobs of at most " + maxItems + ".");
            }
            byte[] bytes = json.writeValueAsBytes(item);
            if (hasNul(bytes)) {
                throw ApiException.badRequest(spec.arrayField() + "[" + writer.count()
                        + "]: text must be valid UTF-8 without the NUL character (\\u0000).");
            }
            writer.add(bytes);
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

    /** True when compact JSON holds the escape of the NUL character, which no text column can store. */
    static boolean hasNul(byte[] json) {
        for (int i = json.length - 6; i >= 0; i--) {
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
