package dev.bulklinks.intake;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.api.JsonProblems;
import dev.bulklinks.api.LimitedInputStream;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads a CSV body (RFC 4180, read by jackson-dataformat-csv) one row at a time into the items of a bulk
 * job: a header row names the fields ({@code input,output,linkType,data}); each later row is one item.
 * A cell is typed by the field it fills: a JSON cell for object fields ({@code data}; {@code input} and
 * {@code output} when they start with <code>{</code>, as {@code {"source": "erp", "sourceId": "19815"}}),
 * a number or {@code true}/{@code false} where the item takes one, text otherwise; an empty cell is an absent
 * field. Every error names the line and the column. Memory holds one row, whatever the size of the body.
 */
final class CsvItems {

    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvParser.Feature.FAIL_ON_MISSING_HEADER_COLUMNS)
            .build();

    /**
     * The result columns of a results.csv ({@link dev.bulklinks.job.ResultsCsv}), skipped when the file comes
     * back as a body: its failed rows, fixed, are sent again as they are.
     */
    private static final Set<String> RESULT_COLUMNS = Set.of("success", "operation", "error_code", "error_message",
            "original_index");

    private final ObjectMapper json;
    private final long maxItemBytes;

    CsvItems(ObjectMapper json, long maxItemBytes) {
        this.json = json;
        this.maxItemBytes = maxItemBytes;
    }

    /** Reads every row of {@code body} into an item of {@code spec}, in order. */
    <T> void read(LimitedInputStream body, ItemSpec<T> spec, BodyReader.Sink<T> sink) throws IOException, SQLException {
        Map<String, Class<?>> fields = fields(spec.type());
        String where = "the header row (line 1)";
        try (MappingIterator<Map<String, String>> rows = CSV.readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader().withStrictHeaders(false))
                .readValues(body)) {
            CsvParser parser = (CsvParser) rows.getParser();
            int index = 0;
            boolean checkedHeader = false;
            while (true) {
                long line = parser.currentLocation().getLineNr();
                where = "item " + index + " (line " + line + ")";
                body.startItem(where, maxItemBytes);
                if (!rows.hasNextValue()) {
                    if (!checkedHeader) {
                        header(parser.getSchema(), spec, fields);
                    }
                    break;
                }
                Map<String, String> row = rows.nextValue();
                if (!checkedHeader) {
                    header(parser.getSchema(), spec, fields);
                    checkedHeader = true;
                }
                // The row began where the parser stood before it (a quoted cell may span lines).
                where = "item " + index + " (line " + Math.max(2, line) + ")";
                sink.accept(item(row, spec, fields, where));
                index++;
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String place = at == null || at.getLineNr() < 1 ? where : "line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw ApiException.badRequest("Malformed CSV at " + place + ": " + e.getOriginalMessage()
                    + ". A CSV body is a header row naming the fields (" + example(spec) + "), then one item a row,"
                    + " quoted as RFC 4180 says.");
        }
    }

    /** The header must name known fields, each once. */
    private static void header(CsvSchema schema, ItemSpec<?> spec, Map<String, Class<?>> fields) {
        if (schema.size() == 0) {
            throw ApiException.badRequest("A CSV body starts with a header row naming the fields, e.g. "
                    + example(spec) + ".");
        }
        Set<String> seen = new HashSet<>();
        for (CsvSchema.Column column : schema) {
            String name = column.getName();
            if (!seen.add(name)) {
                throw ApiException.badRequest("The header row names column '" + name + "' twice.");
            }
            if (!fields.containsKey(name) && !RESULT_COLUMNS.contains(name)
                    && !(spec.type() == String.class && name.equals("id"))) {
                throw ApiException.badRequest("The header row names column '" + name + "', which is no field of an"
                        + " item; the columns allowed are " + String.join(", ", fields.keySet().stream().sorted().toList())
                        + ".");
            }
        }
    }

    private <T> T item(Map<String, String> row, ItemSpec<T> spec, Map<String, Class<?>> fields, String where)
            throws IOException {
        if (spec.type() == String.class) {
            String id = row.get("id");
            if (id == null || id.isEmpty()) {
                throw ApiException.badRequest(where + ": column 'id' is empty.");
            }
            return spec.type().cast(id);
        }
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, String> cell : row.entrySet()) {
            if (cell.getValue() == null || cell.getValue().isEmpty() || RESULT_COLUMNS.contains(cell.getKey())) {
                continue;
            }
            node.set(cell.getKey(), value(cell.getKey(), cell.getValue(), fields.get(cell.getKey()), where));
        }
        T item;
        try {
            item = json.treeToValue(node, spec.type());
        } catch (JsonProcessingException e) {
            throw JsonProblems.badRequest(e, where);
        }
        String missing = spec.missingField().apply(item);
        if (missing != null) {
            throw ApiException.badRequest(where + ": column '" + missing + "' is required.");
        }
        return item;
    }

    /** The cell as the JSON value its field takes. */
    private JsonNode value(String column, String cell, Class<?> type, String where) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        boolean object = type != null && (JsonNode.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type));
        if (object || (type != null && !type.isPrimitive() && type != String.class && cell.startsWith("{"))) {
            try {
                return json.readTree(cell);
            } catch (JsonProcessingException e) {
                throw ApiException.badRequest(where + ", column '" + column + "': the cell must be JSON ("
                        + e.getOriginalMessage() + ").");
            }
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            try {
                return nodes.numberNode(Long.parseLong(cell.strip()));
            } catch (NumberFormatException e) {
                throw ApiException.badRequest(where + ", column '" + column + "': '" + cell + "' is not a whole number.");
            }
        }
        if (type == Boolean.class || type == boolean.class) {
            if (cell.equals("true") || cell.equals("false")) {
                return nodes.booleanNode(cell.equals("true"));
            }
            throw ApiException.badRequest(where + ", column '" + column + "': write true or false, not '" + cell + "'.");
        }
        return nodes.textNode(cell);
    }

    /** The fields of an item type by JSON name: a record's components, and the names its creator reads too. */
    private static Map<String, Class<?>> fields(Class<?> type) {
        Map<String, Class<?>> fields = new HashMap<>();
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                fields.put(component.getName(), component.getType());
            }
        }
        for (var method : type.getDeclaredMethods()) {
            if (method.isAnnotationPresent(com.fasterxml.jackson.annotation.JsonCreator.class)) {
                for (var parameter : method.getParameters()) {
                    var property = parameter.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
                    if (property != null) {
                        fields.putIfAbsent(property.value(), parameter.getType());
                    }
                }
            }
        }
        return fields;
    }

    private static String example(ItemSpec<?> spec) {
        return switch (spec.arrayField()) {
            case "links" -> "input,output,linkType,data";
            case "entities" -> "type,name,parent,data";
            default -> "id";
        };
    }
}
