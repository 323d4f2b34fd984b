package dev.bulklinks.progress.socketio;

import org.json.JSONArray;
import org.json.JSONString;

/**
 * A JSON array, already written, that goes into a socket.io packet exactly as it is. socket.io-server
 * takes event arguments as org.json values and writes them with org.json, which would re-render a
 * parsed copy: keys in another order, numbers in another form. An org.json value that is also a
 * {@link JSONString} is written as its own text instead; as an (empty) {@link JSONArray} it passes the
 * library's check of argument types and holds no binary.
 */
final class RawJson extends JSONArray implements JSONString {

    private final String text;

    /** @param text a JSON array, as the service's ObjectMapper wrote it */
    RawJson(String text) {
        this.text = text;
    }

    @Override
    public String toJSONString() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
