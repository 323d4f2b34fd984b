package dev.bulklinks.progress;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * One event of the sync feed, as Unicat writes them:
 * {@code {"type": "cc", "cursor", "action", "data_type", "data_key", "data"}}.
 *
 * <p>{@code data} is kept as the stored JSON text (compact), never as a parsed tree, and written out
 * raw: an event waiting for slow streams costs its bytes, once, however many streams hold it. (As
 * trees, a links event of 1000 ids took about 100 KB of small objects; 500 of them made each
 * non-reading stream pin about 50 MB.)
 */
@JsonPropertyOrder({"type", "cursor", "action", "data_type", "data_key", "data"})
public final class SyncEvent {

    public static final String JOBS = "jobs";
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

    @JsonProperty("cursor")
    public long cursor() {
        return cursor;
    }

    @JsonIgnore
    public String project() {
        return project;
    }

    @JsonProperty("action")
    public String action() {
        return action;
    }

    @JsonProperty("data_type")
    public String dataType() {
        return dataType;
    }

    @JsonProperty("data_key")
    public String dataKey() {
        return dataKey;
    }

    /** The data as JSON text, written as it is. */
    @JsonProperty("data")
    @JsonRawValue
    public String data() {
        return data;
    }

    /** Always "cc" (a content change), as in Unicat's feed. */
    @JsonProperty("type")
    public String type() {
        return "cc";
    }

    /** True for a job event whose status is done, rejected or cancelled. */
    public boolean isFinalJobStatus() {
        return finalJobStatus;
    }

    /** About what this event holds in memory, in bytes: what a stream's budget counts. */
    @JsonIgnore
    public long size() {
        return OVERHEAD + (data == null ? 0 : data.length());
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
