package dev.bulklinks.progress;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * One item of the sync feed, as Unicat writes them:
 * {@code {"type", "cursor", "action", "data_type", "data_key", "data"}}. A job's items are
 * {@code "type": "cc"} (Unicat's global sequence, read with {@code cc_cursor}); a project's own items
 * (links and entities a job wrote) have the project's name as {@code type} (read with {@code project} +
 * {@code cursor}). See {@link SyncQuery} for how both readings share one stored sequence.
 *
 * <p>Its JSON is written in one place, {@link #write(JsonGenerator)}: {@code /sync/get}, the SSE stream
 * and any other push (socket.io) send exactly the same item, whichever ObjectMapper is at hand.
 *
 * <p>{@code data} is kept as the stored JSON text (compact), never as a parsed tree, and written out
 * raw: an event waiting for slow streams costs its bytes, once, however many streams hold it. (As
 * trees, a links event of 1000 ids took about 100 KB of small objects; 500 of them made each
 * non-reading stream pin about 50 MB.)
 */
@JsonSerialize(using = SyncEvent.Serializer.class)
public final class SyncEvent {

    public static final String JOBS = "jobs";
    /** The {@code type} of a job's items: Unicat's global ("cc") sequence. */
    public static final String CC = "cc";
    /** What an event costs besides its data: the object, its strings, a queue node (an estimate). */
    private static final int OVERHEAD = 200;
    private static final JsonFactory FACTORY = new JsonFactory();

    private final long cursor;
    private final String project;
    private final String action;
    private final String dataType;
    private final String dataKey;
    private final String data;
    private final boolean finalJobStatus;

    /**
     * @param data the event's data as compact JSON text (see {@link CompactJson})
     */
    public SyncEvent(long cursor, String project, String action, String dataType, String dataKey, String data) {
        this.cursor = cursor;
        this.project = project;
        this.action = action;
        this.dataType = dataType;
        this.dataKey = dataKey;
        this.data = data;
        this.finalJobStatus = JOBS.equals(dataType) && isFinal(topLevelStatus(data));
    }

    public long cursor() {
        return cursor;
    }

    /** The project the item belongs to (a job's project, or the project whose links were written). */
    public String project() {
        return project;
    }

    public String action() {
        return action;
    }

    public String dataType() {
        return dataType;
    }

    public String dataKey() {
        return dataKey;
    }

    /** The data as JSON text, written as it is. */
    public String data() {
        return data;
    }

    /** True for a job's item: {@code type} "cc", read through {@code cc_cursor}. */
    public boolean isJob() {
        return JOBS.equals(dataType);
    }

    /** {@code "cc"} for a job's item, else the project's name, as Unicat's per-project items are typed. */
    public String type() {
        return isJob() ? CC : project;
    }

    /** True for a job event whose status is done, rejected or cancelled. */
    public boolean isFinalJobStatus() {
        return finalJobStatus;
    }

    /** About what this event holds in memory, in bytes: what a stream's budget counts. */
    public long size() {
        return OVERHEAD + (data == null ? 0 : data.length());
    }

    /**
     * Writes the item: the one place its JSON is made. Fields in Unicat's order; {@code data} as stored.
     */
    public void write(JsonGenerator out) throws IOException {
        out.writeStartObject();
        out.writeStringField("type", type());
        out.writeNumberField("cursor", cursor);
        out.writeStringField("action", action);
        out.writeStringField("data_type", dataType);
        out.writeStringField("data_key", dataKey);
        out.writeFieldName("data");
        if (data == null) {
            out.writeNull();
        } else {
            out.writeRawValue(data);
        }
        out.writeEndObject();
    }

    /** The item as compact JSON text, as {@link #write} writes it. */
    public String toJson() {
        StringWriter text = new StringWriter((int) Math.min(Integer.MAX_VALUE, size()));
        try (JsonGenerator out = FACTORY.createGenerator(text)) {
            write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return toJson();
    }

    /** Lets any ObjectMapper (the envelope of {@code /sync/get}) write the item as {@link #write} does. */
    public static final class Serializer extends JsonSerializer<SyncEvent> {
        @Override
        public void serialize(SyncEvent event, JsonGenerator out, SerializerProvider provider) throws IOException {
            event.write(out);
        }
    }

    private static boolean isFinal(String status) {
        return "done".equals(status) || "rejected".equals(status) || "cancelled".equals(status);
    }

    /** The {@code status} field of the data's top-level object, read without building a tree. */
    private static String topLevelStatus(String data) {
        if (data == null) {
            return null;
        }
        try (JsonParser parser = FACTORY.createParser(data)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("status")) {
                    return value == JsonToken.VALUE_STRING ? parser.getText() : null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
