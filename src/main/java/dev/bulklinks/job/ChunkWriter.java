package dev.bulklinks.job;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Streams a job's items into {@code job_chunk} with one {@code COPY}, a chunk row at a time, as the
 * request is parsed: memory holds one chunk, whatever the size of the job. Nothing is visible to
 * workers until the surrounding transaction commits.
 */
public final class ChunkWriter implements AutoCloseable {

    private static final String COPY = "COPY job_chunk (job_token, chunk_no, job_seq, first_index, items, item_count)"
            + " FROM STDIN";

    private final Connection connection;
    private final CopyIn copy;
    private final String token;
    private final long jobSeq;
    private final int chunkSize;
    private byte[] row = new byte[1 << 18];
    private int length;
    private int chunkNo;
    private int inChunk;
    private int total;
    private boolean finished;

    /** Takes over {@code connection}, which must belong to the surrounding transaction; {@link #close} closes it. */
    ChunkWriter(Connection connection, UUID token, long jobSeq, int chunkSize) throws SQLException {
        this.connection = connection;
        this.copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY);
        this.token = token.toString();
        this.jobSeq = jobSeq;
        this.chunkSize = chunkSize;
    }

    /** Adds one item, given as compact JSON. */
    public void add(byte[] itemJson) throws SQLException {
        if (inChunk == 0) {
            append(String.join("\t", token, Integer.toString(chunkNo), Long.toString(jobSeq),
                    Integer.toString(total), "").getBytes(StandardCharsets.US_ASCII));
        }
        append(inChunk == 0 ? '[' : ',');
        appendEscaped(itemJson);
        inChunk++;
        total++;
        if (inChunk == chunkSize) {
            flush();
        }
    }

    /** Items added so far. */
    public int count() {
        return total;
    }

    /** Writes the last chunk and ends the COPY; answers the number of items stored. */
    public int finish() throws SQLException {
        flush();
        copy.endCopy();
        finished = true;
        return total;
    }

    private void flush() throws SQLException {
        if (inChunk == 0) {
            return;
        }
        append(("]\t" + inChunk + "\n").getBytes(StandardCharsets.US_ASCII));
        copy.writeToCopy(row, 0, length);
        length = 0;
        chunkNo++;
        inChunk = 0;
    }

    /**
     * COPY's text format gives backslash, newline, carriage return and tab a meaning. Compact JSON
     * has no raw control characters, but escaping all four keeps this correct for any input. UTF-8
     * continuation bytes never equal these ASCII bytes, so working byte by byte is safe.
     */
    private void appendEscaped(byte[] json) {
        int start = 0;
        for (int i = 0; i < json.length; i++) {
            byte b = json[i];
            byte escape = switch (b) {
                case '\\' -> '\\';
                case '\n' -> 'n';
                case '\r' -> 'r';
                case '\t' -> 't';
                default -> 0;
            };
            if (escape != 0) {
                append(json, start, i - start);
                append('\\');
                append(escape);
                start = i + 1;
            }
        }
        append(json, start, json.length - start);
    }

    private void append(byte[] bytes) {
        append(bytes, 0, bytes.length);
    }

    private void append(byte[] bytes, int offset, int count) {
        ensure(count);
        System.arraycopy(bytes, offset, row, length, count);
        length += count;
    }

    private void append(int b) {
        ensure(1);
        row[length++] = (byte) b;
    }

    private void ensure(int more) {
        if (length + more > row.length) {
            row = Arrays.copyOf(row, Math.max(row.length * 2, length + more));
        }
    }

    /** Cancels an unfinished COPY, and hands the connection back to the transaction. */
    @Override
    public void close() throws SQLException {
        try (connection) {
            if (!finished && copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }
}
