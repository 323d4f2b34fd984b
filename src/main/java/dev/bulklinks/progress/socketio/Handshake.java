package dev.bulklinks.progress.socketio;

import dev.bulklinks.api.ApiError;
import dev.bulklinks.api.ApiException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.Set;
import dev.bulklinks.progress.SyncQuery;
import org.json.JSONObject;

/**
 * What a socket.io client sends in its auth payload when it connects to {@code /sync/io}:
 * {@code {"JWT": "<token>"}} as the Unicat documentation writes it, and optionally where to start,
 * {@code "cc_cursor"} and {@code "cursor"} (the cursors of the sign-in answer or of the last item the
 * client took), and {@code "project"} (only that project's items).
 *
 * @param ccCursor job items after this cursor; null when not given
 * @param cursor project items after this cursor; null when not given
 */
record Handshake(String jwt, String project, Long ccCursor, Long cursor) {

    /** Reads the auth payload; a 401 without a token, a 400 for a cursor or project that cannot be read. */
    static Handshake read(Object auth) {
        if (!(auth instanceof JSONObject payload) || !(payload.opt("JWT") instanceof String token)
                || bare(token).isEmpty()) {
            throw new ApiException(new ApiError(401, "Connect with the auth payload {\"JWT\": \"<token>\"}: the token"
                    + " that POST /api/auth answers in its Authorization header.", Map.of()));
        }
        Object project = payload.opt("project");
        if (project != null && !(project instanceof String)) {
            throw ApiException.badRequest("project must be the name of a project, a string.");
        }
        return new Handshake(bare(token), (String) project, cursor(payload, "cc_cursor"), cursor(payload, "cursor"));
    }

    /**
     * What the socket follows: both readings of the feed (job items and its projects' own items), each
     * after its cursor, or after the other one when only one was given (a client that kept only
     * {@code cc_cursor} still gets every later item); after {@code newest} when none was given (from now).
     */
    SyncQuery query(Set<String> visible, long newest) {
        if (ccCursor == null && cursor == null) {
            return new SyncQuery(visible, newest, null, newest);
        }
        return new SyncQuery(visible, ccCursor != null ? ccCursor : cursor, null, cursor != null ? cursor : ccCursor);
    }

    /** The token without a {@code Bearer } prefix, which a client may have kept from a header. */
    private static String bare(String token) {
        String t = token.strip();
        return t.regionMatches(true, 0, "Bearer ", 0, 7) ? t.substring(7).strip() : t;
    }

    private static Long cursor(JSONObject payload, String name) {
        Object value = payload.opt(name);
        if (value == null || value == JSONObject.NULL) {
            return null;
        }
        Long whole = null;
        if (value instanceof Integer || value instanceof Long) {
            whole = ((Number) value).longValue();
        } else if (value instanceof BigInteger b && b.bitLength() < 64) {
            whole = b.longValue();
        } else if (value instanceof BigDecimal d && d.signum() >= 0 && d.stripTrailingZeros().scale() <= 0
                && d.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
            whole = d.longValue();
        }
        if (whole == null || whole < 0) {
            throw ApiException.badRequest(name + " must be a cursor this feed answered: a whole number, 0 for the"
                    + " start; it was " + JSONObject.valueToString(value) + ".");
        }
        return whole;
    }
}
