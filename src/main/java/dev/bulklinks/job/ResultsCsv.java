package dev.bulklinks.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.bulklinks.api.ApiException;
import java.util.List;
import java.util.function.Consumer;

/**
 * A job's results as CSV, a file a person can open, fix and resubmit: the input's own columns first, as
 * the bulk route takes them ({@code input,output,linkType,data,position,name} for links,
 * {@code type,name,parent,source,sourceId,data} for entities), then {@code success, id, operation,
 * error_code, error_message}. {@code id} is the id the item got, or the one it named. JSON fields
 * ({@code data}, a lookup key) are JSON cells. The result columns are ignored when the file comes back as a
 * bulk body, so the failed rows, once fixed, can be sent again as they are.
 */
public final class ResultsCsv {

    /** The result columns, after the input's. */
    public static final List<String> RESULT_COLUMNS = List.of("success", "id", "operation", "error_code", "error_message");
    /** Quotes only the cells that need it (a comma, a quote, a line break...), as a spreadsheet writes them. */
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();

    /** A retry's results name each item's index in the job it retries, after the result columns. */
    public static final String ORIGINAL_INDEX = "original_index";

    private final List<String> itemColumns;
    private final Boolean only;
    private final boolean retry;

    private ResultsCsv(List<String> itemColumns, Boolean only, boolean retry) {
        this.itemColumns = itemColumns;
        this.only = only;
        this.retry = retry;
    }

    /**
     * The CSV of a job of {@code kind}; {@code only} true for the succeeded items alone, false for the
     * failed ones, null for all. 400 for a kind whose items are no rows (Unicat's record links).
     */
    public static ResultsCsv of(JobView job, Boolean only) {
        boolean retry = job.options() != null && job.options().has("retry_of");
        return switch (job.kind()) {
            case BULK_UPSERT_LINKS -> new ResultsCsv(List.of("input", "output", "linkType", "data", "position", "name"), only, retry);
            case BULK_UPSERT_ENTITIES -> new ResultsCsv(List.of("type", "name", "parent", "source", "sourceId", "data"), only, retry);
            case BULK_DELETE_LINKS -> new ResultsCsv(List.of(), only, retry);
            case BULK_LINK_RECORDS -> throw ApiException.badRequest("A record link job's one item is its whole request:"
                    + " its results have no rows of input to show as CSV. Read results or results.ndjson.");
        };
    }

    /** Writes rows with a header row first. */
    public ObjectWriter writer() {
        CsvSchema.Builder schema = CsvSchema.builder();
        itemColumns.forEach(schema::addColumn);
        RESULT_COLUMNS.forEach(schema::addColumn);
        if (retry) {
            schema.addColumn(ORIGINAL_INDEX);
        }
        return CSV.writer(schema.build().withHeader());
    }

    /** The rows of one chunk, in input order, to {@code sink}; {@code results} are its published results. */
    public void rows(JsonNode items, List<ObjectNode> results, Consumer<ObjectNode> sink) {
        for (int i = 0; i < results.size(); i++) {
            ObjectNode result = results.get(i);
            JsonNode success = result.get("success");
            if (only != null && (success == null || success.booleanValue() != only)) {
                continue;
            }
            JsonNode item = items == null ? null : items.get(i);
            ObjectNode row = JsonNodeFactory.instance.objectNode();
            for (String column : itemColumns) {
                row.put(column, cell(item == null ? null : item.get(column)));
            }
            row.put("success", success == null ? "" : success.asText());
            String id = cell(result.get("id"));
            if (id.isEmpty() && item != null) {
                id = cell(item.isTextual() ? item : item.get("id"));
            }
            row.put("id", id);
            row.put("operation", cell(result.get("operation")));
            JsonNode error = result.get("error");
            row.put("error_code", error == null ? "" : cell(error.get("code")));
            row.put("error_message", error != null ? cell(error.get("message"))
                    : result.has("cancelled") ? "cancelled: never run" : result.has("pending") ? "pending: not run yet" : "");
            if (retry) {
                row.put(ORIGINAL_INDEX, cell(result.get(ORIGINAL_INDEX)));
            }
            sink.accept(row);
        }
    }

    /** A field as a cell: text as it is, numbers and booleans as written, objects and arrays as JSON. */
    private static String cell(JsonNode value) {
        if (value == null || value.isNull()) {
            return "";
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }
}
