package dev.bulklinks.bench;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The benchmark's N links, generated on the fly from a seed, never held in memory: as a JSON bulk
 * body, as NDJSON, or as COPY rows for the floor. Every form holds the same links in the same order.
 */
public final class LinkRows {

    public static final String TYPE = "breakdown|folder|folder";

    private final List<UUID> entities;
    private final int count;
    private final long seed;

    public LinkRows(List<UUID> entities, int count, long seed) {
        this.entities = entities;
        this.count = count;
        this.seed = seed;
    }

    public InputStream json() {
        return new Generated(count, "{\"links\":[", "]}", (i, input, output, sb) -> {
            if (i > 0) {
                sb.append(',');
            }
            item(input, output, i, sb);
        });
    }

    public InputStream ndjson() {
        return new Generated(count, "", "", (i, input, output, sb) -> item(input, output, i, sb).append('\n'));
    }

    /** Rows for {@code COPY staging (id, input, output, link_type, data) FROM STDIN}. */
    InputStream copyRows() {
        return new Generated(count, "", "", (i, input, output, sb) -> sb.append(UUID.randomUUID()).append('\t')
                .append(input).append('\t').append(output).append('\t').append(TYPE)
                .append("\t{\"occurrence\": ").append(i % 7).append("}\n"));
    }

    private static StringBuilder item(UUID input, UUID output, int i, StringBuilder sb) {
        return sb.append("{\"input\":\"").append(input).append("\",\"output\":\"").append(output)
                .append("\",\"linkType\":\"").append(TYPE).append("\",\"data\":{\"occurrence\":").append(i % 7).append("}}");
    }

    private interface Writer {
        void write(int index, UUID input, UUID output, StringBuilder sb);
    }

    /** Produces the bytes of {@code head}, every item, and {@code tail}, a few items at a time. */
    private final class Generated extends InputStream {
        private final int total;
        private final Writer writer;
        private final String tail;
        private final Random random = new Random(seed);
        private final StringBuilder text = new StringBuilder();
        private byte[] buffer;
        private int position;
        private int next;
        private boolean done;

        Generated(int total, String head, String tail, Writer writer) {
            this.total = total;
            this.tail = tail;
            this.writer = writer;
            this.buffer = head.getBytes(StandardCharsets.UTF_8);
        }

        private boolean fill() {
            if (done) {
                return false;
            }
            text.setLength(0);
            for (int n = 0; n < 256 && next < total; n++, next++) {
                UUID input = entities.get(random.nextInt(entities.size()));
                UUID output;
                do {
                    output = entities.get(random.nextInt(entities.size()));
                } while (output.equals(input));
                writer.write(next, input, output, text);
            }
            if (next == total) {
                text.append(tail);
                done = true;
            }
            buffer = text.toString().getBytes(StandardCharsets.UTF_8);
            position = 0;
            return true;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            while (position == buffer.length) {
                if (!fill()) {
                    return -1;
                }
            }
            int n = Math.min(length, buffer.length - position);
            System.arraycopy(buffer, position, into, offset, n);
            position += n;
            return n;
        }
    }
}
