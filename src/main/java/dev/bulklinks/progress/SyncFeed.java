package dev.bulklinks.progress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.database.Sql;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Every SQL statement on the sync feed. Writes run in the caller's transaction, so an event commits
 * with the change it reports; they wait for no lock: the writer numbers its events at its commit when
 * the feed's lock is free ({@link #sequenceAtCommit}), and otherwise {@link #sequence()} gives cursors to
 * committed events afterwards, in a short transaction of its own; one holder of the lock at a time (see
 * V21__feed_sequencer.sql), which notifies the listeners. Readers sequence first, so that they see every
 * event committed before they read. Job items and project items draw their cursors from one sequence,
 * and are read as Unicat's two ({@link SyncQuery}).
 */
@ApplicationScoped
public class SyncFeed {

    /** NOTIFY channel: one notification per sequencer run that gave cursors. */
    static final String CHANNEL = "bulklinks_feed";
    /** Key of the advisory lock that serializes sequencers, so that cursors follow their commits. */
    static final long FEED_LOCK = 0x6275_6c6b_6665_6564L;
    /** Key of the advisory lock that lets one instance trim at a time. */
    private static final long TRIM_LOCK = FEED_LOCK + 1;
    private static final String COLUMNS = "cursor, project, action, data_type, data_key, data::text";
    /** Rows fetched at a time by a read limited in bytes: 16 links events of 1000 ids are about 640 KB. */
    private static final int FETCH = 16;

    private final Sql sql;
    private final ObjectMapper json;
    private final PendingEvents pending;

    SyncFeed(Sql sql, ObjectMapper json, PendingEvents pending) {
        this.sql = sql;
        this.json = json;
        this.pending = pending;
    }

    // ---- writes -------------------------------------------------------------------------------

    /** Appends one event. */
    public void append(String project, String action, String dataType, String dataKey, Object data)
            throws SQLException {
        appendAll(project, action, dataType, dataKey, List.of(data));
    }

    /**
     * Appends one event and leaves its cursor to whoever numbers next (the commit of another writer, or the
     * sequencer, which its commit wakes within {@link PendingEvents#LATER_BY_MILLIS}): for a transaction
     * that a client waits on and that does not need its event numbered at once, a submission's, whose 202
     * would otherwise wait for two more round trips. Another write of the same transaction that wants its events numbered at commit has them all
     * numbered then.
     */
    public void appendNumberedLater(String project, String action, String dataType, String dataKey, Object data)
            throws SQLException {
        insert(project, action, dataType, dataKey, List.of(data));
        pending.written(PendingEvents.LATER);
    }

    /**
     * Records a job's progress: its one progress event moves to a new cursor with the new data (it loses
     * its cursor, and takes a new id, so that it is sequenced after whatever was written before it).
     */
    public void progress(String project, UUID job, Object data) throws SQLException {
        sql.update("""
                INSERT INTO sync_event (project, action, data_type, data_key, progress, data)
                VALUES (?, 'UPDATE', 'jobs', ?, true, ?::json)
                ON CONFLICT (data_key) WHERE progress
                DO UPDATE SET id = DEFAULT, cursor = NULL, data = EXCLUDED.data, created_at = EXCLUDED.created_at""",
                project, job.toString(), text(data));
        pending.written(this::sequenceAtCommit);
    }

    /**
     * Appends a job's final status and removes its progress event, which the status says more than, in one
     * statement. Its transaction's events are numbered at its commit, the feed's lock waited for a little
     * ({@link #sequenceAtJobEnd}).
     */
    public void finalStatus(String project, UUID job, Object data) throws SQLException {
        sql.update("""
                WITH dropped AS (DELETE FROM sync_event WHERE data_key = ? AND progress)
                INSERT INTO sync_event (project, action, data_type, data_key, data)
                VALUES (?, 'UPDATE', 'jobs', ?, ?::json)""",
                job.toString(), project, job.toString(), text(data));
        pending.written((PendingEvents.AtJobEnd) this::sequenceAtJobEnd);
    }

    /** Appends events of one key, in the order of {@code data}: one statement each, sent at once. */
    public void appendAll(String project, String action, String dataType, String dataKey, List<?> data)
            throws SQLException {
        insert(project, action, dataType, dataKey, data);
        pending.written(this::sequenceAtCommit);
    }

    private void insert(String project, String action, String dataType, String dataKey, List<?> data)
            throws SQLException {
        sql.with(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO sync_event (project, action, data_type, data_key, data)
                    VALUES (?, ?, ?, ?, ?::json)""")) {
                for (Object event : data) {
                    ps.setString(1, project);
                    ps.setString(2, action);
                    ps.setString(3, dataType);
                    ps.setString(4, dataKey);
                    ps.setString(5, text(event));
                    ps.addBatch();
                }
                // A batch runs its statements in order: ids, and so cursors, follow the list.
                return ps.executeBatch();
            }
        });
    }

    // ---- sequencing ---------------------------------------------------------------------------

    /**
     * Gives a cursor to every committed event that has none, in the order they were written, and
     * notifies the listeners; answers how many it gave. Runs in a transaction of its own (never the
     * caller's: its cursors must commit before the lock is released), and only when some event waits,
     * which costs one look-up of an index that is nearly always empty. Sequencers of every instance take
     * one lock in turn: a sequencer that comes while another runs waits a few milliseconds for it, and
     * then sequences what committed meanwhile, so that whoever calls this sees, once it returns, every
     * event committed before it was called.
     */
    public int sequence() throws SQLException {
        if (!unsequenced()) {
            return 0;
        }
        return QuarkusTransaction.requiringNew().call(this::sequenceNow);
    }

    private boolean unsequenced() throws SQLException {
        return sql.one("SELECT EXISTS (SELECT 1 FROM sync_event WHERE cursor IS NULL)", rs -> rs.getBoolean(1));
    }

    /**
     * Runs in the transaction {@link #sequence()} begins, whose connection its statements share: the lock
     * lasts until it commits.
     */
    private int sequenceNow() throws SQLException {
        // The lock first, in a statement of its own: the next statement's snapshot, taken once the
        // lock is held, sees every cursor the sequencer before this one committed.
        sql.first("SELECT pg_advisory_xact_lock(?)", rs -> null, FEED_LOCK);
        return giveCursors("SELECT true", List.of()).cursors();
    }

    /**
     * Whether the transaction may give cursors at its commit, and if so the feed's lock, if it is free.
     * Not when the transaction lowered {@code synchronous_commit} below its session's own (a claim's, see
     * ChunkQueue.claim): its commit is seen before it is durable, and a cursor seen and then lost with the
     * database could be given again to another event, which a client resuming after it would skip. (Where
     * the whole server runs without it, as the tests' database does, so does the sequencer.)
     */
    static final String LOCK_AT_COMMIT = lockAtCommit("pg_try_advisory_xact_lock(?)");

    /**
     * As {@link #LOCK_AT_COMMIT}, for a job's last commit: it waits for the lock, {@link #JOB_END_LOCK_WAIT_MS}
     * at most (V31__feed_lock_within.sql).
     */
    static final String LOCK_AT_JOB_END = lockAtCommit("feed_lock_within(?, ?)");

    /**
     * How long a job's last commit waits for the feed's lock: its holder keeps it for one numbering and
     * one commit, a few milliseconds; past this, the sequencer numbers the job's end instead.
     */
    static final int JOB_END_LOCK_WAIT_MS = 25;

    private static String lockAtCommit(String lock) {
        return """
                SELECT CASE WHEN setting = 'off' AND reset_val <> 'off' THEN false ELSE %s END
                  FROM pg_settings WHERE name = 'synchronous_commit'""".formatted(lock);
    }

    /**
     * Gives the cursors in the transaction of a writer, just before it commits, when it can do so at no
     * one's expense: when the feed's lock is free (it never waits for it) and the transaction is as
     * durable as its session ({@link #LOCK_AT_COMMIT}). Numbers the writer's own events with every
     * committed one still waiting, and notifies the listeners, who hear of them as the commit ends;
     * answers whether it did. The lock is held through the commit, as the sequencer holds it: a writer
     * that comes meanwhile leaves its events to the sequencer, which waits for it. A small job's end
     * then reaches its streams without waiting for the sequencer's own transaction and its flush:
     * {@link PendingEvents} calls it.
     */
    boolean sequenceAtCommit() throws SQLException {
        // The lock is tried in the numbering's own statement: one round trip at the commit, not two
        // (measured 2026-12-02: PostgreSQL's log of a 10-link job). That statement's snapshot is taken before
        // the lock, so it may predate the commit of a sequencer that held the lock until just then: the
        // events it numbered show no cursor in the snapshot, but FOR UPDATE reads each row as it is now and
        // checks the condition again (READ COMMITTED), so none of them is numbered twice.
        return giveCursors(LOCK_AT_COMMIT, List.of(FEED_LOCK)).locked();
    }

    /**
     * As {@link #sequenceAtCommit}, for the commit that ends a job, which its client waits for: it waits
     * for the feed's lock a few milliseconds ({@link #JOB_END_LOCK_WAIT_MS}) rather than leave its events to
     * the sequencer, whose transaction and flush would come after. Only a job's end waits, once a job;
     * chunk commits never do.
     */
    boolean sequenceAtJobEnd() throws SQLException {
        return giveCursors(LOCK_AT_JOB_END, List.of(FEED_LOCK, JOB_END_LOCK_WAIT_MS)).locked();
    }

    /** Whether a numbering held the feed's lock, and how many cursors it gave. */
    private record Given(boolean locked, int cursors) {
    }

    /**
     * Gives a cursor to every event without one that this transaction sees, in the order they were
     * written, and notifies the listeners when it gave any, if {@code lock} (a query of one boolean,
     * with {@code lockParams}) answers that the feed's lock is held.
     */
    private Given giveCursors(String lock, List<Object> lockParams) throws SQLException {
        // Cursors are drawn over rows already in insert order (materialized, so that no plan can draw
        // them in another). SKIP LOCKED passes over a progress event that a writer is moving again:
        // its next version is sequenced once that writer commits, and the sequencer never waits on a
        // writer (a writer may wait a few milliseconds on the sequencer, for its own progress event).
        // The notification goes in the same statement (CASE evaluates it only when some were given).
        List<Object> params = new ArrayList<>(lockParams);
        params.add(CHANNEL);
        return sql.one("""
                WITH locked AS MATERIALIZED (%s),
                waiting AS MATERIALIZED (
                    SELECT id FROM sync_event WHERE cursor IS NULL AND (SELECT * FROM locked)
                     ORDER BY id FOR UPDATE SKIP LOCKED),
                drawn AS MATERIALIZED (
                    SELECT id, nextval('sync_event_cursor') AS cursor FROM waiting),
                given AS (
                    UPDATE sync_event e SET cursor = drawn.cursor FROM drawn WHERE e.id = drawn.id RETURNING 1)
                SELECT (SELECT * FROM locked), count(*), CASE WHEN count(*) > 0 THEN pg_notify(?, '') END
                  FROM given""".formatted(lock),
                rs -> new Given(rs.getBoolean(1), rs.getInt(2)), params.toArray());
    }

    // ---- reads --------------------------------------------------------------------------------

    /**
     * The newest cursor, once every event committed before this call has one ({@link #sequence()}):
     * every event at or below it is committed, and every later event gets a greater cursor, so reading
     * up to it never skips one. It is both Unicat cursors at once ({@link #cursors()}).
     */
    public long newest() throws SQLException {
        sequence();
        return lastGiven();
    }

    /**
     * The newest cursor given so far, without sequencing first: what the instance's listener reads, whose
     * sequencer runs on a thread of its own.
     */
    long lastGiven() throws SQLException {
        return sql.one("""
                SELECT greatest((SELECT max(cursor) FROM sync_event), trimmed_through) FROM sync_feed""",
                rs -> rs.getLong(1));
    }

    /**
     * Where a reader starts from now, as {@code POST /sync/cursors} and a sign-in answer it: both
     * readings share one stored sequence ({@link SyncQuery}), so both are {@link #newest()}.
     */
    public Cursors cursors() throws SQLException {
        long newest = newest();
        return new Cursors(newest, newest);
    }

    /**
     * Unicat's two cursors: {@code cc} for the job items ({@code "cc.cursor"}), {@code project} for a
     * project's own items ({@code "cursor"}).
     */
    public record Cursors(long cc, long project) {

        /** As an answer's {@code result} holds them: {@code {"cc.cursor": int, "cursor": int}}. */
        public Map<String, Object> asResult() {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("cc.cursor", cc);
            result.put("cursor", project);
            return result;
        }
    }

    /** The cursor below which events were trimmed: a reader behind it must resync. */
    public long trimmedThrough() throws SQLException {
        return sql.one("SELECT trimmed_through FROM sync_feed", rs -> rs.getLong(1));
    }

    /**
     * Refuses (410, in the envelope) a query whose cursors this feed cannot read from: older than the
     * events it keeps, or never given by it (ahead of its newest cursor).
     */
    public void requireKnown(SyncQuery query) throws SQLException {
        if (query.ccCursor() != null) {
            FeedPosition.requireKnown("cc_cursor", query.ccCursor(), this);
        }
        if (query.cursor() != null) {
            FeedPosition.requireKnown("cursor", query.cursor(), this);
        }
    }

    /** Items of one answer, oldest first, and whether more items of the same readings follow them. */
    public record Page(List<SyncEvent> items, boolean more) {
    }

    /**
     * The items a reader asked for ({@link SyncQuery}) after its cursors and at most {@code upTo} (which
     * {@link #newest()} gives, once it has sequenced what committed before it), in
     * cursor order: at most {@code limit}, and no more once they reach {@code maxBytes} (but at least
     * one). {@code more} says whether items of the same readings follow (up to {@code upTo}): what
     * {@code /sync/get} answers, and what any other reader of the sync items (socket.io) may call. A
     * stream's catch-up reads the same items through {@link FeedListener#follow}.
     */
    public Page read(SyncQuery query, long upTo, int limit, long maxBytes) throws SQLException {
        return read(query, upTo, limit, maxBytes, true);
    }

    /**
     * The items of {@code query} after its cursors, as {@link #read(SyncQuery, long, int, long)} reads them,
     * without asking whether more remain: a stream's catch-up reads on until a page comes back empty, and
     * fetches no row past the ones it sends.
     */
    List<SyncEvent> items(SyncQuery query, int limit, long maxBytes) throws SQLException {
        sequence();
        return read(query, Long.MAX_VALUE, limit, maxBytes, false).items();
    }

    private Page read(SyncQuery query, long upTo, int limit, long maxBytes, boolean more) throws SQLException {
        if (query.isEmpty()) {
            return new Page(List.of(), false);
        }
        if (query.cursor() != null && query.cursor().equals(query.ccCursor())
                && Objects.equals(query.visible(), query.projectReading())) {
            // Both readings from one cursor over the same projects (a stream): every item of those projects,
            // by their index.
            return read(query.cursor(), upTo, query.visible(), limit, maxBytes, more);
        }
        List<String> readings = new ArrayList<>();
        Set<String> visible = query.visible();
        Set<String> projects = query.projectReading();
        if (query.ccCursor() != null) {
            readings.add("(data_type = 'jobs' AND cursor > ?" + (visible == null ? "" : " AND project = ANY (?)") + ")");
        }
        if (query.cursor() != null) {
            readings.add("(data_type <> 'jobs' AND cursor > ?" + (projects == null ? "" : " AND project = ANY (?)") + ")");
        }
        // The first condition lets the scan start at the lower cursor, in the cursor index's order.
        List<Object> params = new ArrayList<>(List.of(query.lowest(), upTo));
        if (query.ccCursor() != null) {
            params.add(query.ccCursor());
            if (visible != null) {
                params.add(Sql.array("text", visible.toArray()));
            }
        }
        if (query.cursor() != null) {
            params.add(query.cursor());
            if (projects != null) {
                params.add(Sql.array("text", projects.toArray()));
            }
        }
        // One more than wanted: whether it exists says whether more remain.
        params.add(more ? limit + 1 : limit);
        return events("SELECT " + COLUMNS + " FROM sync_event WHERE cursor > ? AND cursor <= ? AND ("
                + String.join(" OR ", readings) + ") ORDER BY cursor LIMIT ?", limit, maxBytes, more, params.toArray());
    }

    /**
     * Every event after {@code after} and at most {@code upTo}, of some projects or all, oldest first:
     * at most {@code limit}, and no more once they reach {@code maxBytes} (but at least one). What the
     * instance's listener hands to its streams, each of which picks its own. Reads the events sequenced
     * so far: the listener's sequencer runs apart, and wakes it when it gave cursors.
     */
    public List<SyncEvent> read(long after, long upTo, Set<String> projects, int limit, long maxBytes)
            throws SQLException {
        return read(after, upTo, projects, limit, maxBytes, false).items();
    }

    private Page read(long after, long upTo, Set<String> projects, int limit, long maxBytes, boolean more)
            throws SQLException {
        String select = "SELECT " + COLUMNS + " FROM sync_event WHERE cursor > ? AND cursor <= ?"
                + (projects == null ? "" : " AND project = ANY (?)") + " ORDER BY cursor LIMIT ?";
        int rows = more ? limit + 1 : limit;
        return projects == null
                ? events(select, limit, maxBytes, more, after, upTo, rows)
                : events(select, limit, maxBytes, more, after, upTo, Sql.array("text", projects.toArray()), rows);
    }

    /** Status events of one job after {@code after}, oldest first, as {@link #read} limits them. */
    public List<SyncEvent> readJob(UUID job, long after, int limit, long maxBytes) throws SQLException {
        sequence();
        return events("SELECT " + COLUMNS
                + " FROM sync_event WHERE data_key = ? AND data_type = 'jobs' AND cursor > ? ORDER BY cursor LIMIT ?",
                limit, maxBytes, false, job.toString(), after, limit).items();
    }

    /**
     * Reads up to {@code limit} events of the query {@code select}, until {@code maxBytes}; with
     * {@code askMore}, tells whether a row is left after them (which may fetch the next few rows). Rows come
     * a few at a time (a cursor, which needs a transaction: a short one, over before any event is sent), so
     * that rows past the limit are never fetched otherwise: 500 events of 40 KB would be 20 MB read for each
     * stream catching up.
     */
    private Page events(String select, int limit, long maxBytes, boolean askMore, Object... params)
            throws SQLException {
        return sql.with(c -> {
            try (PreparedStatement ps = Sql.prepare(c, select, params)) {
                boolean own = c.getAutoCommit();
                if (own) {
                    c.setAutoCommit(false);
                }
                try {
                    ps.setFetchSize(FETCH);
                    List<SyncEvent> events = new ArrayList<>();
                    long bytes = 0;
                    boolean more;
                    try (ResultSet rs = ps.executeQuery()) {
                        while (events.size() < limit && bytes < maxBytes && rs.next()) {
                            SyncEvent event = new SyncEvent(rs.getLong(1), rs.getString(2), rs.getString(3),
                                    rs.getString(4), rs.getString(5), CompactJson.compact(rs.getString(6)));
                            events.add(event);
                            bytes += event.size();
                        }
                        more = askMore && rs.next();
                    }
                    return new Page(events, more);
                } finally {
                    if (own) {
                        // Read only: ending it either way is the same.
                        c.rollback();
                        c.setAutoCommit(true);
                    }
                }
            }
        });
    }

    // ---- retention ----------------------------------------------------------------------------

    /**
     * Deletes events older than {@code retention}, at most {@code batch} at a time, and moves the
     * trim mark; answers how many went. Only one instance trims at a time. Events without a cursor yet
     * stay, whatever their age: no reader has seen them, and their cursors will be above the mark.
     */
    public int trim(Duration retention, int batch) throws SQLException {
        // In the caller's transaction (one a batch, Batches), whose connection both statements share: the
        // lock lasts until it commits.
        if (!sql.one("SELECT pg_try_advisory_xact_lock(?)", rs -> rs.getBoolean(1), TRIM_LOCK)) {
            return 0;
        }
        return sql.first("""
                WITH gone AS (
                    DELETE FROM sync_event WHERE cursor IN (
                        SELECT cursor FROM sync_event
                         WHERE cursor IS NOT NULL AND created_at < now() - ? * interval '1 millisecond'
                         ORDER BY cursor LIMIT ?)
                    RETURNING cursor)
                UPDATE sync_feed SET trimmed_through = greatest(trimmed_through, (SELECT max(cursor) FROM gone))
                 WHERE EXISTS (SELECT 1 FROM gone)
                RETURNING (SELECT count(*) FROM gone)""", rs -> rs.getInt(1), retention.toMillis(), batch).orElse(0);
    }

    private String text(Object data) {
        try {
            return data instanceof JsonNode node ? node.toString() : json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

}
