package dev.bulklinks.progress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The two readings of the one sequence, without the database: which items a reader gets, and that
 * paging through them (from the last item's cursor, as the warning says, or from the last item of each
 * kind, as Unicat's client does) gives every item once, in order.
 */
class SyncQueryTest {

    private static SyncEvent job(long cursor, String project) {
        return new SyncEvent(cursor, project, "UPDATE", SyncEvent.JOBS, "k" + cursor, "{\"status\":\"processing\"}");
    }

    private static SyncEvent links(long cursor, String project) {
        return new SyncEvent(cursor, project, "INSERT", "links", "k" + cursor, "{\"count\":1}");
    }

    /** A feed of jobs and links items of three projects, in cursor order. */
    private static List<SyncEvent> feed(long seed, int size) {
        Random random = new Random(seed);
        List<String> projects = List.of("a", "b", "c");
        List<SyncEvent> feed = new ArrayList<>();
        for (long cursor = 1; cursor <= size; cursor++) {
            String project = projects.get(random.nextInt(projects.size()));
            feed.add(random.nextBoolean() ? job(cursor, project) : links(cursor, project));
        }
        return feed;
    }

    /** One answer: the first {@code limit} items the query wants, as the SQL of SyncFeed.read picks them. */
    private static List<SyncEvent> page(List<SyncEvent> feed, SyncQuery query, int limit) {
        return feed.stream().filter(query::wants).limit(limit).toList();
    }

    @Test
    void jobItemsComeWithCcCursorAndAProjectsItemsWithItsCursor() {
        SyncQuery query = new SyncQuery(Set.of("a", "b"), 10L, Set.of("a"), 20L);
        assertThat(query.wants(job(11, "a"))).isTrue();
        assertThat(query.wants(job(11, "b"))).as("jobs of every visible project").isTrue();
        assertThat(query.wants(job(11, "c"))).as("not visible").isFalse();
        assertThat(query.wants(job(10, "a"))).as("not after cc_cursor").isFalse();
        assertThat(query.wants(links(15, "a"))).as("not after cursor").isFalse();
        assertThat(query.wants(links(21, "a"))).isTrue();
        assertThat(query.wants(links(21, "b"))).as("another project's own items").isFalse();
        assertThat(new SyncQuery(null, null, Set.of("a"), 0L).wants(job(5, "a"))).as("no cc_cursor: no jobs").isFalse();
        assertThat(new SyncQuery(null, 0L, null, null).wants(links(5, "a"))).as("no cursor: no links").isFalse();
        assertThat(new SyncQuery(Set.of("a"), null, Set.of("a", "c"), 0L).projectReading()).containsExactly("a");
        assertThat(query.after(15)).isEqualTo(new SyncQuery(Set.of("a", "b"), 15L, Set.of("a"), 20L));
        assertThat(query.lowest()).isEqualTo(10);
    }

    @Test
    void aStreamFollowsEverythingVisibleFromOneCursor() {
        SyncQuery query = SyncQuery.everything(Set.of("a"), 5);
        assertThat(query.wants(job(6, "a"))).isTrue();
        assertThat(query.wants(links(6, "a"))).isTrue();
        assertThat(query.wants(links(6, "b"))).isFalse();
        assertThat(query.wants(job(5, "a"))).isFalse();
    }

    @Test
    void pagingFromTheLastItemOrFromEachKindsLastItemReadsEveryItemOnce() {
        for (long seed = 0; seed < 50; seed++) {
            List<SyncEvent> feed = feed(seed, 200);
            SyncQuery whole = new SyncQuery(Set.of("a", "b"), 30L, Set.of("b"), 60L);
            List<SyncEvent> expected = feed.stream().filter(whole::wants).toList();

            // As the warning says: the same request, both cursors from the last item answered.
            List<SyncEvent> read = new ArrayList<>();
            SyncQuery query = whole;
            for (List<SyncEvent> page; !(page = page(feed, query, 3)).isEmpty(); ) {
                read.addAll(page);
                if (read.size() > expected.size()) {
                    break; // items repeated: the assertion below says which
                }
                query = query.after(page.get(page.size() - 1).cursor());
            }
            assertThat(read).as("seed %d, from the last item", seed).isEqualTo(expected);

            // As Unicat's client does: cc_cursor from the last "cc" item, cursor from the last other one.
            read.clear();
            long cc = whole.ccCursor();
            long own = whole.cursor();
            for (List<SyncEvent> page; !(page = page(feed, new SyncQuery(whole.visible(), cc, whole.projects(), own),
                    3)).isEmpty(); ) {
                read.addAll(page);
                if (read.size() > expected.size()) {
                    break;
                }
                for (SyncEvent item : page) {
                    if (item.type().equals("cc")) {
                        cc = item.cursor();
                    } else {
                        own = item.cursor();
                    }
                }
            }
            assertThat(read).as("seed %d, each kind from its last item", seed).isEqualTo(expected);
        }
    }

    @Test
    void anItemIsWrittenTheSameByItsOwnWriterAndByAnyObjectMapper() throws Exception {
        SyncEvent item = new SyncEvent(42, "demo", "INSERT", "links", "t", "{\"count\":1,\"ids\":[\"x\"]}");
        assertThat(item.toJson()).isEqualTo(
                "{\"type\":\"demo\",\"cursor\":42,\"action\":\"INSERT\",\"data_type\":\"links\",\"data_key\":\"t\","
                        + "\"data\":{\"count\":1,\"ids\":[\"x\"]}}");
        assertThat(new ObjectMapper().writeValueAsString(List.of(item))).isEqualTo("[" + item.toJson() + "]");
        assertThat(job(7, "demo").toJson()).startsWith("{\"type\":\"cc\",\"cursor\":7,");
    }
}
