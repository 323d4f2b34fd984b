package dev.bulklinks.api;

/** Checks the {@code limit} and {@code cursor} query parameters shared by every list endpoint. */
public final class Paging {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    private Paging() {
    }

    /** The page size: {@value #DEFAULT_LIMIT} when absent, at most {@value #MAX_LIMIT}. */
    public static int limit(Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("limit must be between 1 and " + MAX_LIMIT + ".");
        }
        return limit;
    }

    /** A cursor that this service handed out: a non-negative integer; null when absent. */
    public static Long cursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            long value = Long.parseLong(cursor);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("cursor must be the value of \"cursor\" from the previous page.");
    }

    /** Offsets into a result list. */
    public static int offset(Integer offset) {
        if (offset == null) {
            return 0;
        }
        if (offset < 0) {
            throw ApiException.badRequest("offset must be 0 or more.");
        }
        return offset;
    }
}
