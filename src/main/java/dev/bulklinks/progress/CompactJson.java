package dev.bulklinks.progress;

/**
 * Removes the whitespace between the tokens of JSON text, leaving strings and numbers exactly as they
 * are. Events built in SQL ({@code json_build_object}, {@code json_agg}) are stored as PostgreSQL
 * writes them, {@code {"count" : 2, "ids" : ["a", "b"]}}; the feed has always answered them compact,
 * as Jackson writes, and still does without parsing them into trees.
 */
final class CompactJson {

    private CompactJson() {
    }

    /** {@code json} without whitespace outside strings; the same instance when it has none. */
    static String compact(String json) {
        if (json == null) {
            return null;
        }
        int length = json.length();
        int first = firstSpace(json);
        if (first < 0) {
            return json;
        }
        StringBuilder out = new StringBuilder(length);
        out.append(json, 0, first);
        boolean inString = false;
        for (int i = first; i < length; i++) {
            char c = json.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\') {
                    out.append(json.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                out.append(c);
            } else if (!isSpace(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Index of the first whitespace outside a string, or -1. */
    private static int firstSpace(String json) {
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (isSpace(c)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }
}
