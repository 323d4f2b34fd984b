package dev.bulklinks.intake;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A request body read ahead of its reader, on a thread of its own, into a ring of a few buffers.
 *
 * <p>The request's stream hands its bytes over one network buffer at a time: the reading thread takes a
 * buffer, asks the event loop for the next, and waits for it; while it parses, nothing arrives. Measured
 * 2026-12-01 on 2 cores, 1M link items (158 MB): the thread spent 0.6 to 1.0 s of a 1.4 to 1.8 s read
 * waiting, with a third of the machine idle. Read ahead, the next buffer is asked for while the items of
 * this one are parsed; with Vert.x's buffers at 64K (application.properties) the million items reached
 * 202 in 1.9-2.1 s instead of 2.1-2.5 s (see README, "Speed"). It holds at most {@value #BUFFERS} buffers
 * of {@value #BUFFER_SIZE} bytes (1 MB) of an upload, and no database connection; it stops when closed,
 * which the reader must do.
 */
final class ReadAhead extends InputStream {

    private static final int BUFFERS = 16;
    private static final int BUFFER_SIZE = 1 << 16;

    /** A filled buffer; a negative length marks the end of the body. */
    private record Piece(byte[] bytes, int length) {
    }

    private static final Piece END = new Piece(new byte[0], -1);

    private final InputStream source;
    /** Buffers the reader is done with; they are made as needed, up to {@value #BUFFERS}. */
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
    /** Buffers made so far; the feeding thread's own. */
    private int made;
    private final BlockingQueue<Piece> filled = new ArrayBlockingQueue<>(BUFFERS + 1);
    /** True when no thread was to spare: the reader reads the source itself. */
    private boolean inline;
    /** The feeding thread while it runs; guarded by {@code this}, so that close never interrupts it after. */
    private Thread feeder;
    private volatile Throwable fault;
    private volatile boolean closed;
    private Piece current;
    private int position;

    private ReadAhead(InputStream source) {
        this.source = source;
    }

    /**
     * {@code source}, read ahead on a thread of {@code threads}; read by the caller's thread as it
     * asks when {@code threads} has none to spare. Closing it never closes {@code source}.
     */
    static ReadAhead of(InputStream source, Executor threads) {
        ReadAhead ahead = new ReadAhead(source);
        try {
            threads.execute(ahead::feed);
        } catch (RejectedExecutionException e) {
            ahead.inline = true;
        }
        return ahead;
    }

    /** {@code source} read by the caller's thread as it asks, with no thread ahead: for a body already in memory. */
    static ReadAhead direct(InputStream source) {
        ReadAhead ahead = new ReadAhead(source);
        ahead.inline = true;
        return ahead;
    }

    /** The feeding thread: fills free buffers from the source, in order, until its end or a fault. */
    private void feed() {
        synchronized (this) {
            feeder = Thread.currentThread();
        }
        try {
            while (!closed) {
                byte[] buffer = free.poll();
                if (buffer == null && made < BUFFERS) {
                    buffer = new byte[BUFFER_SIZE]; // a small body needs one: a megabyte each would be garbage
                    made++;
                } else if (buffer == null) {
                    buffer = free.take();
                }
                int n = source.read(buffer, 0, buffer.length);
                filled.put(n < 0 ? END : new Piece(buffer, n));
                if (n < 0) {
                    return;
                }
            }
        } catch (InterruptedException | InterruptedIOException e) {
            // closed by the reader
        } catch (IOException | RuntimeException | Error e) {
            fault = e;
            filled.offer(END); // room is kept for it: the ring holds at most BUFFERS pieces
        } finally {
            synchronized (this) {
                feeder = null;
            }
            Thread.interrupted(); // an interrupt from close, come after the loop ended: not the pool's next task's
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (inline) {
            return source.read(into, offset, length);
        }
        if (length == 0) {
            return 0;
        }
        if (current == null || position == current.length()) {
            if (current != null && current != END) {
                free.add(current.bytes());
            }
            current = next();
            position = 0;
        }
        if (current == END) {
            Throwable failed = fault;
            if (failed instanceof IOException io) {
                throw io;
            }
            if (failed instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failed instanceof Error error) {
                throw error;
            }
            return -1;
        }
        int n = Math.min(length, current.length() - position);
        System.arraycopy(current.bytes(), position, into, offset, n);
        position += n;
        return n;
    }

    private Piece next() throws IOException {
        if (current == END) {
            return END;
        }
        try {
            return filled.take();
        } catch (InterruptedException e) {
            // As the request's own stream does: the interrupt is the answer (Uploads stops a stalled body so).
            throw new InterruptedIOException("interrupted while waiting for the request body");
        }
    }

    /** Stops the feeding thread; the source is left as it is (the request closes its own stream). */
    @Override
    public synchronized void close() {
        closed = true;
        if (feeder != null) {
            feeder.interrupt();
        }
    }

    /** Whether the feeding thread has stopped (for tests). */
    synchronized boolean stopped() {
        return feeder == null;
    }
}
