package dev.bulklinks.intake;

import java.io.BufferedInputStream;
import dev.bulklinks.api.ApiException;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A temporary file that holds a submission's items while its body arrives, so that the body is read at
 * the client's pace without a database connection, and copied into the database at disk speed.
 *
 * <p>The file is unlinked as soon as it is open, where the system allows it (Linux does): it then has
 * no name, and the system frees it when it is closed or when the process ends, however it ends. Where
 * the system refuses, it is deleted when closed.
 */
final class Spool implements AutoCloseable {

    private static final int BUFFER = 1 << 16;

    private final FileChannel file;
    private final OutputStream output;

    private Spool(FileChannel file) {
        this.file = file;
        this.output = new BufferedOutputStream(new Unavailable(Channels.newOutputStream(file)), BUFFER);
    }

    /**
     * A spool that cannot be written (its disk full, say) is this instance's trouble, not the
     * request's: 503, which the client retries later or elsewhere, never a 500.
     */
    private static final class Unavailable extends FilterOutputStream {

        Unavailable(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            try {
                out.write(bytes, offset, length);
            } catch (IOException e) {
                throw refused(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw refused(e);
            }
        }
    }

    static ApiException refused(IOException e) {
        return ApiException.unavailable("This instance cannot spool the body right now (" + e
                + "); nothing was stored. Send it again later, or to another instance.");
    }

    /** A new, empty spool in {@code dir}, which is created when missing; 503 when it cannot be. */
    static Spool create(Path dir) {
        FileChannel file;
        try {
            Files.createDirectories(dir);
            Path path = Files.createTempFile(dir, "upload-", ".spool");
            file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // Windows keeps open files' names; DELETE_ON_CLOSE removes it there.
            }
        } catch (IOException e) {
            throw refused(e);
        }
        return new Spool(file);
    }

    /** Where the items are written, buffered. */
    OutputStream output() {
        return output;
    }

    /** Bytes written so far, counting what is still buffered. */
    long size() throws IOException {
        output.flush();
        return file.size();
    }

    /** What was written, from its start; writing is over. */
    InputStream input() throws IOException {
        return input(0);
    }

    /** What was written, from byte {@code from} on; writing is over. */
    InputStream input(long from) throws IOException {
        output.flush();
        return range(from, file.size());
    }

    /**
     * Bytes {@code from} (inclusive) to {@code to} (exclusive), written and flushed already
     * ({@link #size()}); read with positional reads, so another thread may go on writing meanwhile.
     */
    InputStream range(long from, long to) {
        return new BufferedInputStream(new InputStream() {
            private long position = from;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                if (position >= to) {
                    return -1;
                }
                int n = file.read(ByteBuffer.wrap(bytes, offset, (int) Math.min(length, to - position)), position);
                if (n > 0) {
                    position += n;
                }
                return n;
            }
        }, BUFFER);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
