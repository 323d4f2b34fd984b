package dev.bulklinks.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import java.io.DataInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The JSON factory of the service's ObjectMapper ({@link JsonSettings}): every parser it makes refuses a
 * string or field name that holds a lone UTF-16 surrogate, which no Unicode text holds and which
 * Jackson otherwise reads as it is (a JSON escape of a high surrogate, U+D800 to U+DBFF, with no escape
 * of a low one, U+DC00 to U+DFFF, right after it, or a low one alone), to be stored as '?' or refused by
 * PostgreSQL far from the request. Checking here, where every body is read (single bodies, bulk JSON
 * and NDJSON, {@code data} at any depth, object keys), names the field once for all resources.
 */
public class StrictJsonFactory extends JsonFactory {

    private static final long serialVersionUID = 1L;

    public StrictJsonFactory() {
        super();
    }

    private StrictJsonFactory(StrictJsonFactory source, ObjectCodec codec) {
        super(source, codec);
    }

    @Override
    public JsonFactory copy() {
        return new StrictJsonFactory(this, null);
    }

    @Override
    protected JsonParser _createParser(InputStream in, IOContext ctxt) throws IOException {
        return new Parser(super._createParser(in, ctxt));
    }

    @Override
    protected JsonParser _createParser(Reader r, IOContext ctxt) throws IOException {
        return new Parser(super._createParser(r, ctxt));
    }

    @Override
    protected JsonParser _createParser(char[] data, int offset, int len, IOContext ctxt, boolean recyclable)
            throws IOException {
        return new Parser(super._createParser(data, offset, len, ctxt, recyclable));
    }

    @Override
    protected JsonParser _createParser(byte[] data, int offset, int len, IOContext ctxt) throws IOException {
        return new Parser(super._createParser(data, offset, len, ctxt));
    }

    @Override
    protected JsonParser _createParser(DataInput input, IOContext ctxt) throws IOException {
        return new Parser(super._createParser(input, ctxt));
    }

    /** The index in {@code text} of the first surrogate that is not half of a high-then-low pair; -1 when none. */
    static int loneSurrogate(CharSequence text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    /** A string or field name that holds a lone surrogate; says which, by its path from the document's root. */
    static final class LoneSurrogate extends JsonParseException {

        private static final long serialVersionUID = 1L;

        private final String path;
        private final boolean fieldName;
        private final char surrogate;
        private final int line;

        /** {@code surrogate} is 0 when unknown; {@code line} is where the text starts. */
        LoneSurrogate(JsonParser p, String path, boolean fieldName, char surrogate, int line) {
            super(p, "lone UTF-16 surrogate at " + (path.isEmpty() ? "the root" : path));
            this.path = path;
            this.fieldName = fieldName;
            this.surrogate = surrogate;
            this.line = line;
        }

        /**
         * What to fix, for a caller: {@code prefix} names the item being read when the document's own
         * paths do not say it (an NDJSON line); a prefix that the path starts with is not repeated.
         */
        String describe(String prefix) {
            // A field name's surrogate is not named: Jackson's byte parser refuses some before this one sees them.
            String what = "a lone UTF-16 surrogate" + (fieldName ? "" : String.format(" (\\u%04x)", (int) surrogate))
                    + ": text must be valid Unicode, where a high surrogate (\\ud800-\\udbff) is always followed by a"
                    + " low one (\\udc00-\\udfff).";
            if (!fieldName && path.isEmpty()) {
                // A whole value of its own, such as an NDJSON line.
                return (prefix.isEmpty() ? "The text at line " + line : prefix + ": the text") + " holds " + what;
            }
            String subject = path.isEmpty() ? (prefix.isEmpty() ? "The body" : "the object") : path;
            String message = subject + (fieldName ? " has a field name that holds " : " holds ") + what;
            return prefix.isEmpty() || path.startsWith(prefix) ? message : prefix + ": " + message;
        }
    }

    /**
     * Checks each field name as the parser reaches it, and each string value when it is first read:
     * a value is decoded only then, so that an error in decoding it (a body cut short) still comes
     * from where binding reads it, with the field's path.
     */
    private static final class Parser extends JsonParserDelegate {

        /** Whether the current string value was checked already. */
        private boolean checked;

        Parser(JsonParser parser) {
            super(parser);
        }

        @Override
        public JsonToken nextToken() throws IOException {
            checked = false;
            JsonToken token;
            try {
                token = delegate.nextToken();
            } catch (JsonParseException e) {
                String message = e.getOriginalMessage();
                if (message != null && message.contains("surrogate") && message.contains("field name")) {
                    // Jackson's byte parser checks the escapes of field names itself: say it as for any text.
                    throw new LoneSurrogate(this, path(delegate.getParsingContext().getParent()), true, (char) 0,
                            delegate.currentLocation().getLineNr());
                }
                throw e;
            }
            if (token == JsonToken.FIELD_NAME) {
                check(delegate.currentName(), true);
            }
            return token;
        }

        /** As the underlying parser's would, but through {@link #nextToken()}, so that field names are checked too. */
        @Override
        public JsonToken nextValue() throws IOException {
            JsonToken token = nextToken();
            return token == JsonToken.FIELD_NAME ? nextToken() : token;
        }

        @Override
        public String getText() throws IOException {
            checkValue();
            return delegate.getText();
        }

        @Override
        public char[] getTextCharacters() throws IOException {
            checkValue();
            return delegate.getTextCharacters();
        }

        @Override
        public int getText(Writer writer) throws IOException {
            checkValue();
            return delegate.getText(writer);
        }

        @Override
        public String getValueAsString() throws IOException {
            checkValue();
            return delegate.getValueAsString();
        }

        @Override
        public String getValueAsString(String defaultValue) throws IOException {
            checkValue();
            return delegate.getValueAsString(defaultValue);
        }

        private void checkValue() throws IOException {
            if (!checked && delegate.currentToken() == JsonToken.VALUE_STRING) {
                // getText() keeps the String it makes, which the caller then asks for: no extra copy.
                check(delegate.getText(), false);
                checked = true;
            }
        }

        private void check(String text, boolean name) throws LoneSurrogate {
            int at = loneSurrogate(text);
            if (at >= 0) {
                JsonStreamContext where = delegate.getParsingContext();
                throw new LoneSurrogate(this, path(name ? where.getParent() : where), name, text.charAt(at),
                        delegate.currentTokenLocation().getLineNr());
            }
        }

        /** A value's place, as messages write it: {@code links[3].data.note}; empty at the root. */
        private static String path(JsonStreamContext context) {
            Deque<String> parts = new ArrayDeque<>();
            for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
                parts.addFirst(c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName());
            }
            String path = String.join("", parts);
            return path.startsWith(".") ? path.substring(1) : path;
        }
    }
}
