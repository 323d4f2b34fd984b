package dev.bulklinks.progress;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static dev.bulklinks.fixtures.Api.link;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.bulklinks.fixtures.Api;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Writers of events take no lock: a transaction that holds an event write open blocks no other writer,
 * and cursors are still given in the order readers can see the events (see V21__feed_sequencer.sql).
 */
@QuarkusTest
class FeedSequencerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Threads of their own for the concurrent transactions (the common pool may have one thread). */
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "feed-sequencer-test");
        thread.setDaemon(true);
        return thread;
    });

    @Inject
    SyncFeed feed;
    @Inject
    AgroalDataSource dataSource;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String user;
    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    @Test
    void aWriterHeldOpenBlocksNoOtherAndItsEventComesLaterAtAHigherCursor() throws Exception {
        String project = Api.newProject();
        long start = SyncFeedTest.newest();
        try (Held held = Held.open(() -> note(project, "held"))) {
            // Another transaction writes and commits while the first one is still open.
            CompletableFuture<Void> other = CompletableFuture.runAsync(
                    () -> QuarkusTransaction.requiringNew().run(() -> note(project, "quick")), THREADS);
            await().atMost(WAIT).until(other::isDone);
            other.join();

            List<JsonPath> first = notes(project, start);
            assertThat(first).extracting(e -> e.getString("data_key")).containsExactly("quick");
            long quick = first.get(0).getLong("cursor");

            held.commit();
            // Read right after the commit: a reader sees every event committed before it reads.
            List<JsonPath> after = notes(project, quick);
            assertThat(after).extracting(e -> e.getString("data_key")).containsExactly("held");
            assertThat(after.get(0).getLong("cursor")).isGreaterThan(quick);
            assertThat(notes(project, start)).extracting(e -> e.getString("data_key")).containsExactly("quick", "held");
        }
    }

    @Test
    void aChunkCommitDoesNotWaitForAnotherJobsOpenEventWrite() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            items.add(link(pair.a(), pair.b(), BREAKDOWN));
        }
        long start = SyncFeedTest.newest();
        // Another job's progress, written by a transaction that stays open (as a slow chunk's would).
        UUID other = UUID.randomUUID();
        try (Held held = Held.open(() -> {
            try {
                feed.progress(pair.project(), other, Map.of("status", "processing"));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        })) {
            CompletableFuture<JsonPath> job = CompletableFuture.supplyAsync(() -> {
                String token = Api.submit(pair.project(), "/links/bulk", Map.of("links", items));
                return Api.awaitFinal(pair.project(), token);
            }, THREADS);
            await().atMost(WAIT).until(job::isDone);
            assertThat(job.join().getString("status")).isEqualTo("done");
            // Its events are readable at once, the open transaction notwithstanding.
            List<JsonPath> links = notes(pair.project(), start);
            assertThat(links).extracting(e -> e.getString("data_type")).containsOnly("links").hasSize(3);
            assertThat(links.stream().mapToInt(e -> e.getInt("data.count")).sum()).isEqualTo(250);
            held.commit();
        }
        feed.finalStatus(pair.project(), other, Map.of("status", "done"));
    }

    @Test
    void theTrimmerLeavesEventsWithoutACursor() throws Exception {
        String project = Api.newProject();
        QuarkusTransaction.requiringNew().run(() -> note(project, "old"));
        feed.sequence();
        try (Connection lock = dataSource.getConnection()) {
            // The sequencers wait (as they would for a slow one), so the next event stays without a cursor.
            lock.setAutoCommit(false);
            sql(lock, "SELECT pg_advisory_xact_lock(" + SyncFeed.FEED_LOCK + ")");
            try {
                QuarkusTransaction.requiringNew().run(() -> note(project, "waiting"));
                try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                        "UPDATE sync_event SET created_at = now() - interval '8 days' WHERE project = ?")) {
                    ps.setString(1, project);
                    assertThat(ps.executeUpdate()).isEqualTo(2);
                }
                QuarkusTransaction.requiringNew().call(() -> feed.trim(Duration.ofDays(7), 10_000));

                assertThat(keys(project)).containsExactly("waiting");
            } finally {
                lock.rollback();
                lock.setAutoCommit(true);
            }
        }
        // Sequenced now, above the trim mark: a reader from the mark gets it.
        long trimmed = feed.trimmedThrough();
        List<JsonPath> read = notes(project, trimmed);
        assertThat(read).extracting(e -> e.getString("data_key")).containsExactly("waiting");
        assertThat(read.get(0).getLong("cursor")).isGreaterThan(trimmed);
    }

    @Test
    void aWriterThatWaitsForTheDiskGivesItsEventsTheirCursorsInItsOwnCommit() throws Exception {
        String project = Api.newProject();
        awaitNothingUnsequenced();
        long writer = QuarkusTransaction.requiringNew().call(() -> {
            long xid = currentTransaction();
            note(project, "mine");
            return xid;
        });
        // At once, no sequencer run to wait for: the cursor came with the commit, from the writer's transaction.
        Sequenced event = sequenced(project, "mine");
        assertThat(event.cursor()).as("a cursor at commit").isNotNull();
        assertThat(event.by()).as("the transaction that gave it").isEqualTo(writer);
    }

    @Test
    void anEventLeftForLaterIsNumberedAtCommitWhenItsTransactionWritesOneThatIsNot() throws Exception {
        String project = Api.newProject();
        awaitNothingUnsequenced();
        long writer = QuarkusTransaction.requiringNew().call(() -> {
            long xid = currentTransaction();
            feed.appendNumberedLater(project, "INSERT", "links", "later", Map.of("note", "later"));
            note(project, "now");
            return xid;
        });
        assertThat(sequenced(project, "later").by()).as("numbered by the writer's commit").isEqualTo(writer);
        assertThat(sequenced(project, "now").by()).isEqualTo(writer);
        assertThat(sequenced(project, "later").cursor()).isLessThan(sequenced(project, "now").cursor());
    }

    @Test
    void aTransactionLessDurableThanItsSessionLeavesItsEventsToTheSequencer() throws Exception {
        // The tests' database commits without waiting for the disk: this session waits, as a server's default does.
        String url = jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "options=-c%20synchronous_commit%3Don";
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            c.setAutoCommit(false);
            assertThat(mayGiveCursorsAtCommit(c)).as("as durable as its session").isTrue();
            c.rollback();
            // As a claim's transaction does (ChunkQueue.claim): a cursor must never be seen before it is durable.
            sql(c, "SET LOCAL synchronous_commit TO off");
            assertThat(mayGiveCursorsAtCommit(c)).as("less durable than its session").isFalse();
            c.rollback();
        }
    }

    @Test
    void theLockAJobsEndWaitsForIsGotWhenItsHolderCommitsInTimeAndNotPastIt() throws Exception {
        long key = new java.util.Random().nextLong(); // not the feed's own: the service goes on meanwhile
        try (Connection holder = DriverManager.getConnection(jdbcUrl, user, password);
                Connection waiter = DriverManager.getConnection(jdbcUrl, user, password);
                Connection other = DriverManager.getConnection(jdbcUrl, user, password)) {
            holder.setAutoCommit(false);
            waiter.setAutoCommit(false);
            other.setAutoCommit(false);
            sql(holder, "SELECT pg_advisory_xact_lock(" + key + ")");
            String timeout = text(waiter, "SHOW lock_timeout");

            // Held past the wait: not got, and the waiter's transaction goes on, its lock_timeout as it was.
            assertThat(lockWithin(waiter, key, 50)).isFalse();
            assertThat(text(waiter, "SHOW lock_timeout")).isEqualTo(timeout);
            waiter.rollback();

            // Released while it waits: got, and held by the waiter's transaction until it ends.
            long pid = Long.parseLong(text(waiter, "SELECT pg_backend_pid()"));
            CompletableFuture<Boolean> got = CompletableFuture.supplyAsync(() -> {
                try {
                    return lockWithin(waiter, key, 600_000);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, THREADS);
            await().atMost(WAIT).until(() -> one("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = ? AND NOT granted)",
                    rs -> rs.getBoolean(1), (int) pid));
            holder.commit();
            assertThat(got.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(text(waiter, "SHOW lock_timeout")).isEqualTo(timeout);
            assertThat(text(other, "SELECT pg_try_advisory_xact_lock(" + key + ")")).as("held by the waiter").isEqualTo("f");
            waiter.commit();
            assertThat(text(other, "SELECT pg_try_advisory_xact_lock(" + key + ")")).as("released with its commit").isEqualTo("t");
            other.rollback();
        }
    }

    @Test
    void aJobsEndWaitsOnlyBrieflyForTheFeedsLockAndLeavesItsEventsToTheSequencerPastThat() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        String token;
        try (Connection holder = DriverManager.getConnection(jdbcUrl, user, password)) {
            holder.setAutoCommit(false);
            awaitNothingUnsequenced();
            sql(holder, "SELECT pg_advisory_xact_lock(" + SyncFeed.FEED_LOCK + ")");
            token = Api.submit(pair.project(), "/links/bulk", Map.of("links", List.of(link(pair.a(), pair.b(), BREAKDOWN))));
            // The lock is held throughout: the job ends all the same, its end's event without a cursor yet.
            assertThat(Api.awaitFinal(pair.project(), token).getString("status")).isEqualTo("done");
            Integer waiting = one("SELECT count(*) FROM sync_event WHERE data_key = ? AND data->>'status' = 'done'"
                    + " AND cursor IS NULL", rs -> rs.getInt(1), token);
            assertThat(waiting).isEqualTo(1);
            holder.rollback();
        }
        // Then the sequencer, which waited for the lock, numbers it.
        await().atMost(WAIT).until(() -> one("""
                SELECT e.cursor IS NOT NULL AND e.xmin::text <> j.xmin::text
                  FROM sync_event e JOIN job j ON j.token::text = e.data_key
                 WHERE e.data_key = ? AND e.data->>'status' = 'done'""", rs -> rs.getBoolean(1), token));
    }

    /** {@code feed_lock_within} (V31) on {@code c}: whether it got the lock {@code key} within {@code ms}. */
    private static boolean lockWithin(Connection c, long key, int ms) throws SQLException {
        return "t".equals(text(c, "SELECT feed_lock_within(" + key + ", " + ms + ")"));
    }

    /** The one value {@code select} answers on {@code c}, as text. */
    private static String text(Connection c, String select) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(select); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static boolean mayGiveCursorsAtCommit(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SyncFeed.LOCK_AT_COMMIT)) {
            ps.setLong(1, SyncFeed.FEED_LOCK);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** An event's cursor (null while it has none) and the transaction that wrote its row as it is now. */
    private record Sequenced(Long cursor, long by) {
    }

    private Sequenced sequenced(String project, String key) throws SQLException {
        return one("SELECT cursor, xmin::text::bigint FROM sync_event WHERE project = ? AND data_key = ?",
                rs -> new Sequenced(rs.getObject(1, Long.class), rs.getLong(2)), project, key);
    }

    /** The caller's transaction id, as a row's xmin shows it (its low 32 bits), on the transaction's connection. */
    private long currentTransaction() throws SQLException {
        return one("SELECT pg_current_xact_id()::text::bigint % 4294967296", rs -> rs.getLong(1));
    }

    /** Until every event written so far has its cursor, so that no sequencer holds the feed's lock. */
    private void awaitNothingUnsequenced() {
        await().atMost(WAIT).until(() -> one("SELECT NOT EXISTS (SELECT 1 FROM sync_event WHERE cursor IS NULL)",
                rs -> rs.getBoolean(1)));
    }

    /** Reads the one row of {@code select}, on the caller's transaction's connection when it has one. */
    private <T> T one(String select, Row<T> row, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(select)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("a row of %s", select).isTrue();
                return row.read(rs);
            }
        }
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Appends a project item keyed {@code key}, in the caller's transaction. */
    private void note(String project, String key) {
        try {
            feed.append(project, "INSERT", "links", key, Map.of("note", key));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The project's items after {@code cursor}, as {@code POST /sync/get} answers them. */
    private static List<JsonPath> notes(String project, long cursor) {
        JsonPath page = json().body(Map.of("project", project, "cursor", cursor)).post("/sync/get").then()
                .statusCode(200).body("success", equalTo(true)).extract().jsonPath();
        List<JsonPath> items = new ArrayList<>();
        for (int i = 0; i < page.getList("result.sync").size(); i++) {
            items.add(new JsonPath(page.prettify()).setRootPath("result.sync[" + i + "]"));
        }
        return items;
    }

    /** Keys of the project's stored events, sequenced or not, in insert order. */
    private List<String> keys(String project) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT data_key FROM sync_event WHERE project = ? ORDER BY id")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
        }
        return keys;
    }

    private static void sql(Connection c, String statement) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(statement)) {
            ps.execute();
        }
    }

    /** A transaction on a thread of its own that has written and stays open until {@link #commit}. */
    private static final class Held implements AutoCloseable {
        private final CountDownLatch written = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private CompletableFuture<Void> done;

        static Held open(Runnable write) throws InterruptedException {
            Held held = new Held();
            held.done = CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew().run(() -> {
                write.run();
                held.written.countDown();
                try {
                    held.release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }), THREADS);
            assertThat(held.written.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the held transaction wrote").isTrue();
            return held;
        }

        void commit() {
            release.countDown();
            done.join();
        }

        @Override
        public void close() {
            release.countDown();
            done.join();
        }
    }
}
