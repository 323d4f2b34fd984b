package dev.bulklinks.link;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.database.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Every SQL statement on {@code link}, and the link-type facts a batch of links needs. A link row carries its
 * project's small integer key (V24: narrower rows and index keys than the name, so cheaper inserts); each
 * statement finds it from the name it is given, {@code (SELECT id FROM project WHERE name = ?)}.
 */
@ApplicationScoped
public class LinkRepository {

    private final Sql sql;
    private final ObjectMapper json;

    LinkRepository(Sql sql, ObjectMapper json) {
        this.sql = sql;
        this.json = json;
    }

    /** A link to insert. {@code data} is compact JSON; {@code itemIndex} is null outside jobs. */
    public record Row(UUID id, String linkType, UUID input, UUID output, String name, String data, Integer position,
            Integer itemIndex) {
    }

    /** A link as the API shows it. */
    public record LinkView(UUID id, String linkType, UUID input, UUID output, String name, JsonNode data,
            int position, String author, Instant created_at) {
    }

    /**
     * Where a page of links ends. The links of an entity (input or output given) are ordered by
     * position, then creation ({@code position:seq}); the links of a whole project by id ({@code id}), along
     * the primary key: ids the service makes are time-ordered, so its links come in creation order.
     */
    public record Cursor(int position, long seq, UUID id) {

        /** After the link at {@code position}, {@code seq} among an entity's links. */
        public static Cursor byPosition(int position, long seq) {
            return new Cursor(position, seq, null);
        }

        /** After the link {@code id} among a project's links. */
        public static Cursor byId(UUID id) {
            return new Cursor(0, 0, id);
        }

        /** True for a cursor among an entity's links. */
        public boolean isByPosition() {
            return id == null;
        }

        @Override
        public String toString() {
            return id != null ? id.toString() : position + ":" + seq;
        }
    }

    /** A page of links and the cursor of the next one (null at the end). */
    public record Page(List<LinkView> links, Cursor next) {
    }

    /** Which of {@code types} are registered in the project. */
    public Set<String> registered(String project, Collection<String> types) throws SQLException {
        return textSet("SELECT link_type FROM link_type WHERE project = ? AND link_type = ANY(?)", project, "text",
                types.toArray());
    }

    /**
     * Registers the link types {@code types} (each {@code name|input_type|output_type}) in the project,
     * bare, unless registered already; in the caller's transaction.
     */
    public void register(String project, Collection<String> types) throws SQLException {
        if (types.isEmpty()) {
            return;
        }
        sql.update("""
                INSERT INTO link_type (project, link_type, name, input_type, output_type)
                SELECT ?, t, split_part(t, '|', 1), split_part(t, '|', 2), split_part(t, '|', 3)
                  FROM unnest(?::text[]) AS t
                ON CONFLICT (project, link_type) DO NOTHING""", project, Sql.array("text", types.toArray()));
    }

    /** Which of {@code ids} are taken by links of the project. */
    public Set<UUID> taken(String project, Collection<UUID> ids) throws SQLException {
        Set<UUID> taken = new HashSet<>();
        for (String id : textSet("SELECT id::text FROM link WHERE project_id = (SELECT id FROM project WHERE name = ?) AND id = ANY(?)", project, "uuid",
                ids.toArray())) {
            taken.add(UUID.fromString(id));
        }
        return taken;
    }

    private Set<String> textSet(String select, String project, String arrayType, Object[] values) throws SQLException {
        Set<String> found = new HashSet<>();
        if (values.length == 0) {
            return found;
        }
        sql.list(select, rs -> found.add(rs.getString(1)), project, Sql.array(arrayType, values));
        return found;
    }

    /** The insert of a batch of links, from one array per column; the conflict clause is added where needed. */
    private static final String INSERT = """
            INSERT INTO link (project_id, id, link_type, input, output, name, data, position, author, job_token, item_index)
            SELECT p.project_id, t.id, t.link_type, t.input, t.output, t.name, COALESCE(t.data::jsonb, '{}'),
                   COALESCE(t.position, 0), p.author, p.job, t.item_index
              FROM unnest(?::uuid[], ?::text[], ?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::int[], ?::int[])
                   WITH ORDINALITY AS t(id, link_type, input, output, name, data, position, item_index, ord)
             CROSS JOIN (SELECT (SELECT id FROM project WHERE name = ?) AS project_id, ?::text AS author, ?::uuid AS job) p
             ORDER BY t.ord""";

    /**
     * Inserts the rows with one statement; answers the ids inserted. A row whose id was taken
     * meanwhile (by a concurrent job) is skipped, not an error: its item fails with 409.
     */
    public Set<UUID> insert(String project, List<Row> rows, String author, UUID job) throws SQLException {
        Set<UUID> inserted = new HashSet<>();
        if (rows.isEmpty()) {
            return inserted;
        }
        sql.list(INSERT + " ON CONFLICT (project_id, id) DO NOTHING RETURNING id",
                rs -> inserted.add(rs.getObject(1, UUID.class)), insertParams(project, rows, author, job));
        return inserted;
    }

    /**
     * Inserts rows whose ids were just generated ({@link LinkIds}), so no other link can hold them:
     * without {@code ON CONFLICT}, whose speculative insertion writes one more WAL record per row, and
     * without {@code RETURNING}. Measured 2026-11-30 on PostgreSQL 15, 1,000 links a statement into
     * 260,000: 5,100 WAL records a statement instead of 6,100, and 45-65 ms instead of 65-70 (a loaded
     * machine). In the benchmark at N = 200,000 (embedded PostgreSQL 18.6, with time-ordered ids), the
     * link inserts took 27.4 s in all instead of 32.1 s.
     */
    public void insertFresh(String project, List<Row> rows, String author, UUID job) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        sql.update(INSERT, insertParams(project, rows, author, job));
    }

    /** The parameters of {@link #INSERT}: its eight arrays, then the project, the author and the job. */
    private static Object[] insertParams(String project, List<Row> rows, String author, UUID job) {
        List<Object> params = columns(rows);
        params.add(project);
        params.add(author);
        params.add(job);
        return params.toArray();
    }

    /**
     * The rows as the arrays that {@link #INSERT} and {@link #update} unnest, one per column: id, type, input,
     * output, name, data, position, item index.
     */
    private static List<Object> columns(List<Row> rows) {
        List<Object> columns = new ArrayList<>(11);
        columns.add(Sql.array("uuid", rows.stream().map(Row::id).toArray()));
        columns.add(Sql.array("text", rows.stream().map(Row::linkType).toArray()));
        columns.add(Sql.array("uuid", rows.stream().map(Row::input).toArray()));
        columns.add(Sql.array("uuid", rows.stream().map(Row::output).toArray()));
        columns.add(Sql.array("text", rows.stream().map(Row::name).toArray()));
        columns.add(Sql.array("text", rows.stream().map(Row::data).toArray()));
        columns.add(Sql.array("int4", rows.stream().map(Row::position).toArray()));
        columns.add(Sql.array("int4", rows.stream().map(Row::itemIndex).toArray()));
        return columns;
    }

    /** The ends and type that name a link in upsert mode when the item gives no id. */
    public record Ends(UUID input, UUID output, String linkType) {
    }

    /**
     * For each of {@code ends}, the oldest link of the project with those ends and type; ends with
     * none are absent from the answer.
     */
    public Map<Ends, UUID> idsByEnds(String project, Collection<Ends> ends) throws SQLException {
        Map<Ends, UUID> found = new HashMap<>();
        if (ends.isEmpty()) {
            return found;
        }
        sql.list("""
                SELECT DISTINCT ON (l.input, l.output, l.link_type) l.input, l.output, l.link_type, l.id
                  FROM unnest(?::uuid[], ?::uuid[], ?::text[]) AS e(input, output, link_type)
                  JOIN link l ON l.project_id = (SELECT id FROM project WHERE name = ?) AND l.input = e.input AND l.link_type = e.link_type
                             AND l.output = e.output
                 ORDER BY l.input, l.output, l.link_type, l.seq""",
                rs -> found.put(new Ends(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3)),
                        rs.getObject(4, UUID.class)),
                Sql.array("uuid", ends.stream().map(Ends::input).toArray()),
                Sql.array("uuid", ends.stream().map(Ends::output).toArray()),
                Sql.array("text", ends.stream().map(Ends::linkType).toArray()), project);
        return found;
    }

    /**
     * Updates existing links with one statement: ends, type and the fields given (a null name, data
     * or position keeps the link's own). Answers the ids updated; a link deleted meanwhile is absent.
     */
    public Set<UUID> update(String project, List<Row> rows, UUID job) throws SQLException {
        Set<UUID> updated = new HashSet<>();
        if (rows.isEmpty()) {
            return updated;
        }
        List<Object> params = columns(rows);
        params.add(0, job); // job_token = ?, before the arrays
        params.add(project);
        sql.list("""
                UPDATE link l
                   SET link_type = t.link_type, input = t.input, output = t.output,
                       name = COALESCE(t.name, l.name), data = COALESCE(t.data::jsonb, l.data),
                       position = COALESCE(t.position, l.position), job_token = ?, item_index = t.item_index
                  FROM unnest(?::uuid[], ?::text[], ?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::int[], ?::int[])
                       AS t(id, link_type, input, output, name, data, position, item_index)
                 WHERE l.project_id = (SELECT id FROM project WHERE name = ?) AND l.id = t.id
                RETURNING l.id""", rs -> updated.add(rs.getObject(1, UUID.class)), params.toArray());
        return updated;
    }

    private static final String COLUMNS =
            "id, link_type, input, output, name, data::text, position, author, created_at, seq";

    public Optional<LinkView> find(String project, UUID id) throws SQLException {
        return sql.first("SELECT " + COLUMNS + " FROM link WHERE project_id = (SELECT id FROM project WHERE name = ?) AND id = ?",
                this::view, project, id);
    }

    /**
     * A page of the project's links, filtered by whichever of input, output and type are given. With
     * an entity given they are few, and come in position order; otherwise they come in id order, along
     * the primary key.
     */
    public Page list(String project, UUID input, UUID output, String type, Cursor after, int limit)
            throws SQLException {
        boolean byPosition = input != null || output != null;
        StringBuilder select = new StringBuilder("SELECT " + COLUMNS + " FROM link WHERE project_id = (SELECT id FROM project WHERE name = ?)");
        List<Object> params = new ArrayList<>(List.of(project));
        if (input != null) {
            select.append(" AND input = ?");
            params.add(input);
        }
        if (output != null) {
            select.append(" AND output = ?");
            params.add(output);
        }
        if (type != null) {
            select.append(" AND link_type = ?");
            params.add(type);
        }
        if (after != null && byPosition) {
            select.append(" AND (position, seq) > (?, ?)");
            params.add(after.position());
            params.add(after.seq());
        } else if (after != null) {
            select.append(" AND id > ?");
            params.add(after.id());
        }
        // A project's links by id, along the primary key: no index of its own to keep up on every insert (V23).
        select.append(byPosition ? " ORDER BY position, seq" : " ORDER BY id").append(" LIMIT ?");
        params.add(limit);
        Cursor[] last = new Cursor[1];
        List<LinkView> links = sql.list(select.toString(), rs -> {
            LinkView view = view(rs);
            last[0] = byPosition ? Cursor.byPosition(rs.getInt(7), rs.getLong(10)) : Cursor.byId(view.id());
            return view;
        }, params.toArray());
        return new Page(links, links.size() == limit ? last[0] : null);
    }

    /**
     * The position of the last link of type {@code type} from {@code input} or, with {@code output}
     * given, of the first link to it; null when there is none.
     */
    public Integer position(String project, UUID input, String type, UUID output) throws SQLException {
        Sql.Row<Integer> position = rs -> {
            int value = rs.getInt(1);
            return rs.wasNull() ? null : value;
        };
        return output == null
                ? sql.first("SELECT max(position) FROM link WHERE project_id = (SELECT id FROM project WHERE name = ?) AND input = ? AND link_type = ?",
                        position, project, input, type).orElse(null)
                : sql.first("SELECT min(position) FROM link WHERE project_id = (SELECT id FROM project WHERE name = ?) AND input = ? AND link_type = ? AND output = ?",
                        position, project, input, type, output).orElse(null);
    }

    /** Moves the links of type {@code type} from {@code input} at {@code from} or after it {@code by} places on. */
    public void shift(String project, UUID input, String type, int from, int by) throws SQLException {
        sql.update("""
                UPDATE link SET position = position + ?
                 WHERE project_id = (SELECT id FROM project WHERE name = ?) AND input = ? AND link_type = ? AND position >= ?""",
                by, project, input, type, from);
    }

    /** A link that a delete named: its type, and whether the delete removed it. */
    public record Named(String linkType, boolean deleted) {
    }

    /**
     * Deletes the links of {@code ids} whose type is in {@code allowed} (null: any type) with one
     * statement, or, with {@code write} false, only looks them up. Answers every named link that
     * exists, with its type and whether it went; ids of no link are absent.
     */
    public Map<UUID, Named> delete(String project, Collection<UUID> ids, Set<String> allowed, boolean write)
            throws SQLException {
        Map<UUID, Named> named = new HashMap<>();
        if (ids.isEmpty()) {
            return named;
        }
        // The type is tested by the DELETE itself, not only by the SELECT: a concurrent upsert that
        // changes a link's type makes the DELETE re-read the row, so no link goes under a type that
        // is not allowed. The SELECT sees the links as they were before this statement.
        String statement = write ? """
                WITH gone AS (DELETE FROM link WHERE project_id = (SELECT id FROM project WHERE name = ?) AND id = ANY(?)
                                 AND (?::text[] IS NULL OR link_type = ANY(?::text[])) RETURNING id)
                SELECT l.id, l.link_type, l.id IN (SELECT id FROM gone) FROM link l WHERE l.project_id = (SELECT id FROM project WHERE name = ?) AND l.id = ANY(?)"""
                : "SELECT id, link_type, false FROM link WHERE project_id = (SELECT id FROM project WHERE name = ?) AND id = ANY(?)";
        Object idArray = Sql.array("uuid", ids.toArray());
        Object types = allowed == null ? null : Sql.array("text", allowed.toArray());
        Sql.Row<Named> put = rs -> named.put(rs.getObject(1, UUID.class), new Named(rs.getString(2), rs.getBoolean(3)));
        if (write) {
            sql.list(statement, put, project, idArray, types, types, project, idArray);
        } else {
            sql.list(statement, put, project, idArray);
        }
        return named;
    }

    /** Deletes every link of a type, as its type is removed; answers how many. */
    public int deleteOfType(String project, String type) throws SQLException {
        return sql.update("DELETE FROM link WHERE project_id = (SELECT id FROM project WHERE name = ?) AND link_type = ?",
                project, type);
    }

    private LinkView view(ResultSet rs) throws SQLException {
        try {
            return new LinkView(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class),
                    rs.getObject(4, UUID.class), rs.getString(5), json.readTree(rs.getString(6)), rs.getInt(7),
                    rs.getString(8), rs.getTimestamp(9).toInstant());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
