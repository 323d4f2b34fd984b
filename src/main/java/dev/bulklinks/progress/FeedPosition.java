package dev.bulklinks.progress;

import dev.bulklinks.api.ApiException;
import java.sql.SQLException;
import java.util.Map;

/** Where a reader of the feed starts, checked against what the feed still holds. */
final class FeedPosition {

    private FeedPosition() {
    }

    /**
     * The cursor to read after: {@code Last-Event-ID} when a client reconnects, else the
     * {@code cursor} parameter, else {@code fallback}.
     */
    static long start(String lastEventId, String cursor, long fallback) {
        String given = lastEventId != null && !lastEventId.isBlank() ? lastEventId : cursor;
        if (given == null || given.isBlank()) {
            return fallback;
        }
        if (!given.strip().matches("\\d{1,18}")) {
            throw ApiException.badRequest("cursor (or Last-Event-ID) must be a cursor this feed answered: a whole"
                    + " number, 0 for the start.");
        }
        return Long.parseLong(given.strip());
    }

    /**
     * Refuses (410) a cursor whose following events were trimmed, or that this feed never gave: the
     * client must resync, reading the current state, then follow the feed from {@code newest}.
     *
     * @param name the cursor's name in the request, for the message
     */
    static void requireKnown(String name, long cursor, SyncFeed feed) throws SQLException {
        long trimmed = feed.trimmedThrough();
        long newest = feed.newest();
        if (cursor < trimmed || cursor > newest) {
            throw ApiException.gone(name + " " + cursor + (cursor < trimmed
                    ? " is older than the items this feed keeps (since cursor " + trimmed + ")"
                    : " was not given by this feed (its newest cursor is " + newest + ")")
                    + "; resync: read the current state (for example GET .../jobs), then follow the feed from cursor "
                    + newest + " (as POST /sync/cursors answers it).", Map.of("oldest", trimmed, "newest", newest));
        }
    }
}
