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

    /**
     * The page size of a query parameter. Read here rather than by JAX-RS, whose answer to a
     * non-number is a bare 404.
     */
    public static int limit(String limit) {
        return limit(limit == null || limit.isEmpty() ? null : number("limit", limit));
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
        throw ApiException.badRequest("cursor must be the value of \"next_cursor\" from the previous page.");
    }

    /**
     * The next_cursor of a page read with {@code limit} rows at most: the last row's cursor when the page
     * is full, else null (the last page).
     */
    public static <T> String nextCursor(java.util.List<T> page, int limit, java.util.function.ToLongFunction<T> cursor) {
        return page.size() == limit ? String.valueOf(cursor.applyAsLong(page.get(page.size() - 1))) : null;
    }

    /** Offsets into a result list, from a query parameter. */
    public static int offset(String offset) {
        if (offset == null || offset.isEmpty()) {
            return 0;
        }
        int value = number("offset", offset);
        if (value < 0) {
            throw ApiException.badRequest("offset must be 0 or more.");
        }
        return value;
    }

    private static int number(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a whole number.");
        }
    }
}
