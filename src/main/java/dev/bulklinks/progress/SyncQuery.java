package dev.bulklinks.progress;

import java.util.Set;

/**
 * Which items of the sync feed a reader follows, read Unicat's way: the job items ({@code type} "cc")
 * after {@code ccCursor}, and the projects' own items (links and entities a job wrote; {@code type} the
 * project's name) after {@code cursor}.
 *
 * <p><b>One stored sequence, two readings.</b> Unicat keeps two sequences, a global one and one per
 * project. Here every item draws its cursor from one sequence ({@code sync_event_cursor}, given by
 * one sequencer at a time in the order readers can see them: see V21__feed_sequencer.sql), and the
 * two kinds of items are two readings of it: the job items, and a project's other items. Every rule
 * of Unicat's two sequences holds for each reading:
 * <ul>
 * <li>cursors only grow: a reading is a part of one growing sequence;</li>
 * <li>a job's items have cursors greater than any {@code cc.cursor} handed out before the job was
 *     submitted: {@code /sync/cursors} answers the newest cursor given, and the job's items are
 *     sequenced later, each run above every cursor before it;</li>
 * <li>reading from a cursor misses and repeats nothing: items become visible in cursor order, and an
 *     answer holds every item of each reading up to its last item, so the next read, from the last item of
 *     each kind (as Unicat's client keeps them) or from the last item of all, goes on exactly there.</li>
 * </ul>
 * So one number serves as both cursors: {@code /sync/cursors} answers the same value for
 * {@code cc.cursor} and {@code cursor}, and the SSE stream's event id (its {@code Last-Event-ID}) is a
 * position for both readings at once ({@link #after(long)}).
 *
 * @param visible projects whose items the reader may see; null for every project (an admin)
 * @param ccCursor job items after this cursor; null for no job items
 * @param projects projects whose own items are read, all visible; null for every visible project
 * @param cursor project items after this cursor; null for no project items
 */
public record SyncQuery(Set<String> visible, Long ccCursor, Set<String> projects, Long cursor) {

    /**
     * Every item of the visible projects after one cursor, jobs and project items alike: what the
     * SSE stream follows.
     */
    public static SyncQuery everything(Set<String> visible, long after) {
        return new SyncQuery(visible, after, null, after);
    }

    /** True when this reader gets {@code item}: of a reading it asked for, after its cursor, visible. */
    public boolean wants(SyncEvent item) {
        if (item.isJob()) {
            return ccCursor != null && item.cursor() > ccCursor && sees(item.project());
        }
        return cursor != null && item.cursor() > cursor && sees(item.project())
                && (projects == null || projects.contains(item.project()));
    }

    /**
     * The same reader once it has had every item up to {@code sent}: each reading goes on after the
     * later of its own cursor and {@code sent}.
     */
    public SyncQuery after(long sent) {
        return new SyncQuery(visible, ccCursor == null ? null : Math.max(ccCursor, sent), projects,
                cursor == null ? null : Math.max(cursor, sent));
    }

    /** True when it reads nothing at all: neither cursor given. */
    public boolean isEmpty() {
        return ccCursor == null && cursor == null;
    }

    /** The lower of the cursors given: items after it are read. */
    long lowest() {
        if (ccCursor == null) {
            return cursor;
        }
        return cursor == null ? ccCursor : Math.min(ccCursor, cursor);
    }

    /** The projects whose own items are read: {@link #projects()} within {@link #visible()}; null for all. */
    Set<String> projectReading() {
        if (projects == null) {
            return visible;
        }
        if (visible == null) {
            return projects;
        }
        Set<String> both = new java.util.LinkedHashSet<>(projects);
        both.retainAll(visible);
        return both;
    }

    private boolean sees(String project) {
        return visible == null || visible.contains(project);
    }
}
