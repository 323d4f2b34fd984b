package dev.bulklinks.intake;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.api.LimitedInputStream;
import dev.bulklinks.job.ChunkWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Reads a bulk body, item by item, into the chunk rows of a {@link ChunkWriter}: each item is read to
 * its type (which checks it), written back as compact JSON, and refused when it holds the NUL
 * character or comes after the most items a job may hold. A plain class, so that its speed can be
 * measured without the service around it ({@code IntakeSpeedBench}).
 */
final class BodySpooler {

    /** Items handed to the writing thread at once. */
    private static final int BATCH = 128;

    private final ObjectMapper json;
    private final BodyReader reader;
    private final CsvItems csv;
    private final int maxItems;
    private final Executor writers;

    /**
     * A spooler whose items are written back on a thread of {@code writers} while the caller's thread
     * reads the next ones; items are written on the caller's thread when {@code writers} refuses.
     */
    BodySpooler(ObjectMapper json, long maxItemBytes, int maxItems, Executor writers) {
        this.json = json;
        this.reader = new BodyReader(json, maxItemBytes);
        this.csv = new CsvItems(json, maxItemBytes);
        this.maxItems = maxItems;
        this.writers = writers;
    }

    /**
     * Reads every item of {@code body}, framed as {@code format}, into {@code writer}; answers the
     * option fields found beside a JSON body's item array (none for NDJSON and CSV).
     *
     * <p>Two threads share the work: the caller's reads and checks each item (parsing and binding, the
     * larger half), another writes the checked items back as compact JSON into the chunk rows, a
     * batch of {@value #BATCH} at a time, at most two batches behind. Measured 2026-12-01
     * (IntakeSpeedBench, 1M link items, 2 cores): see README, "Speed". Errors keep the order of the
     * items: when reading fails, the items read before it are written first, and a fault found
     * writing one of them (a NUL character) is the answer, as it was when one thread did both. With
     * {@code alone}, the caller's thread does both: a small body has too few items to share.
     */
    <T> Map<String, JsonNode> spool(ItemSpec<T> spec, Intake.Format format, LimitedInputStream body, ChunkWriter writer,
            boolean alone) throws IOException, SQLException {
        Stage<T> stage = new Stage<>(spec, writer);
        if (!alone) {
            stage.start(writers);
        }
        BodyReader.Sink<T> sink = item -> {
            if (stage.count() == maxItems) {
                throw ApiException.tooLarge("More than " + maxItems + " items; split the import"
                        + " into jobs of at most " + maxItems + ".");
            }
            stage.add(item);
        };
        Map<String, JsonNode> options;
        try {
            options = switch (format) {
                case NDJSON -> {
                    reader.readNdjson(body, spec, sink);
                    yield Map.of();
                }
                case CSV -> {
                    csv.read(body, spec, sink);
                    yield Map.of();
                }
                case JSON -> reader.readJson(body, spec, sink);
            };
            stage.handBatch();
        } catch (Throwable e) {
            // The items before the fault are written first: one of them may hold the first fault.
            stage.finish();
            throw e;
        }
        stage.finish();
        return options;
    }

    /**
     * The writing half: takes batches of checked items in order and writes each back as compact JSON
     * into the chunk rows. Remembers the first fault, after which it only takes batches, so that the
     * reader never waits for a thread that stopped.
     */
    private final class Stage<T> implements Runnable {

        private static final List<Object> END = List.of();

        private final ItemSpec<T> spec;
        private final ChunkWriter writer;
        private final BlockingQueue<List<?>> batches = new ArrayBlockingQueue<>(2);
        private final CountDownLatch done = new CountDownLatch(1);
        private final ItemBuffer buffer = new ItemBuffer();
        private final ObjectWriter out = json.writer();
        private JsonGenerator generator;
        /** True when the caller's thread writes the items itself: until {@link #start} hands them to another. */
        private boolean inline = true;
        private List<T> batch = new ArrayList<>(BATCH);
        private int count;
        private int written;
        private volatile Exception fault;

        Stage(ItemSpec<T> spec, ChunkWriter writer) {
            this.spec = spec;
            this.writer = writer;
        }

        /** Starts the writing on a thread of {@code writers}; when it refuses, items are written by {@link #add}'s caller. */
        void start(Executor writers) {
            try {
                writers.execute(this);
                inline = false;
            } catch (RejectedExecutionException e) {
                // written inline
            }
        }

        /** Items added so far. */
        int count() {
            return count;
        }

        /** Adds a checked item; a full batch is handed over. Throws the writing's first fault. */
        void add(T item) throws IOException {
            batch.add(item);
            count++;
            if (batch.size() == BATCH) {
                handBatch();
            }
        }

        /** Hands over the batch so far (writes it, when inline); throws the writing's first fault. */
        void handBatch() throws IOException {
            if (inline) {
                write(batch);
            } else if (!batch.isEmpty()) {
                put(batch);
            }
            batch = new ArrayList<>(BATCH);
            rethrow();
        }

        /** Waits until every batch handed over is written; throws the writing's first fault. */
        void finish() throws IOException {
            if (!inline) {
                // Even when this thread is interrupted (an upload out of time), the writer is told the end
                // and waited for: it takes every batch, so it ends soon, and it must before the spool closes.
                boolean interrupted = false;
                while (true) {
                    try {
                        batches.put(END);
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                while (true) {
                    try {
                        done.await();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            if (generator != null) {
                generator.close();
            }
            rethrow();
        }

        private void put(List<?> items) throws IOException {
            try {
                batches.put(items);
            } catch (InterruptedException e) {
                // An upload out of time is interrupted (Uploads): the read ends as a blocked read would.
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while the items were written");
            }
        }

        private void rethrow() throws IOException {
            Exception e = fault;
            if (e instanceof IOException io) {
                throw io;
            } else if (e instanceof RuntimeException r) {
                throw r;
            } else if (e != null) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public void run() {
            try {
                for (List<?> items = batches.take(); items != END; items = batches.take()) {
                    if (fault == null) {
                        try {
                            write((List<T>) items);
                        } catch (IOException | RuntimeException e) {
                            fault = e;
                        }
                    }
                }
            } catch (InterruptedException e) {
                fault = new java.io.InterruptedIOException("the writing of the items was interrupted");
            } finally {
                done.countDown();
            }
        }

        private void write(List<T> items) throws IOException {
            if (generator == null) {
                generator = json.createGenerator(buffer);
                // Each item is a value of its own, with nothing between it and the one before.
                generator.setRootValueSeparator(null);
            }
            for (T item : items) {
                buffer.reset();
                out.writeValue(generator, item);
                generator.flush();
                if (hasNul(buffer.bytes(), buffer.size())) {
                    throw ApiException.badRequest(spec.arrayField() + "[" + written
                            + "]: text must be valid UTF-8 without the NUL character (\\u0000).");
                }
                writer.add(buffer.bytes(), 0, buffer.size());
                written++;
            }
        }
    }

    /** The bytes of one item, written again and again into the same array. */
    private static final class ItemBuffer extends ByteArrayOutputStream {

        ItemBuffer() {
            super(1024);
        }

        byte[] bytes() {
            return buf;
        }
    }

    /**
     * True when the first {@code length} bytes of compact JSON hold the escape of the NUL character, which
     * no text column can store.
     */
    static boolean hasNul(byte[] json, int length) {
        for (int i = length - 6; i >= 0; i--) {
            if (json[i] == '\\' && json[i + 1] == 'u' && json[i + 2] == '0' && json[i + 3] == '0'
                    && json[i + 4] == '0' && json[i + 5] == '0' && !escaped(json, i)) {
                return true;
            }
        }
        return false;
    }

    /** True when the backslash at {@code i} is itself escaped by an odd run of backslashes before it. */
    private static boolean escaped(byte[] json, int i) {
        int run = 0;
        for (int j = i - 1; j >= 0 && json[j] == '\\'; j--) {
            run++;
        }
        return run % 2 == 1;
    }
}
