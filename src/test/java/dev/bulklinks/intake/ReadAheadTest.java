package dev.bulklinks.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReadAheadTest {

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void readsEveryByteInOrderWhateverTheSizesAsked() throws IOException {
        byte[] body = new byte[3_000_001];
        new Random(1).nextBytes(body);
        Random sizes = new Random(2);
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        try (ReadAhead ahead = ReadAhead.of(new Trickle(new ByteArrayInputStream(body), 7_919), threads)) {
            byte[] buffer = new byte[100_000];
            for (int n = 0; n >= 0; n = ahead.read(buffer, 0, 1 + sizes.nextInt(buffer.length))) {
                read.write(buffer, 0, n);
            }
            assertThat(ahead.read()).isEqualTo(-1);
        }
        assertThat(read.toByteArray()).isEqualTo(body);
    }

    @Test
    void aFaultComesAfterTheBytesBeforeIt() throws IOException {
        IOException broken = new IOException("connection reset");
        InputStream source = new InputStream() {
            private int left = 5;

            @Override
            public int read() throws IOException {
                if (left == 0) {
                    throw broken;
                }
                return 'a' + --left;
            }
        };
        try (ReadAhead ahead = ReadAhead.of(source, threads)) {
            byte[] five = new byte[5];
            int got = 0;
            while (got < 5) {
                got += ahead.read(five, got, 5 - got);
            }
            assertThat(new String(five)).isEqualTo("edcba");
            assertThatThrownBy(ahead::read).isSameAs(broken);
        }
    }

    @Test
    void readsAtMostAMegabyteAheadOfAReaderThatStopped() throws IOException {
        AtomicLong given = new AtomicLong();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                given.incrementAndGet();
                return 'x';
            }

            @Override
            public int read(byte[] into, int offset, int length) {
                Arrays.fill(into, offset, offset + length, (byte) 'x');
                given.addAndGet(length);
                return length;
            }
        };
        try (ReadAhead ahead = ReadAhead.of(endless, threads)) {
            assertThat(ahead.read()).isEqualTo('x');
            // Each of the 16 buffers filled once (the reader holds the first): then the feeder waits for one back.
            await().atMost(Duration.ofSeconds(10)).until(() -> given.get() >= 16 * 65_536);
            assertThat(given.get()).isEqualTo(16 * 65_536);
        }
    }

    @Test
    void closingStopsAThreadWaitingForABodyThatNeverComes() throws IOException {
        CountDownLatch never = new CountDownLatch(1);
        InputStream stalled = new InputStream() {
            @Override
            public int read() throws IOException {
                try {
                    never.await(); // a body of which no byte comes: only an interrupt ends the wait
                } catch (InterruptedException e) {
                    throw new InterruptedIOException();
                }
                return -1;
            }
        };
        ReadAhead ahead = ReadAhead.of(stalled, threads);
        await().atMost(Duration.ofSeconds(10)).until(() -> !ahead.stopped());
        ahead.close();
        await().atMost(Duration.ofSeconds(10)).until(ahead::stopped);
    }

    @Test
    void aBodyInMemoryIsReadByTheReaderItself() throws IOException {
        byte[] body = "one\ntwo\n".getBytes();
        try (ReadAhead ahead = ReadAhead.direct(new ByteArrayInputStream(body))) {
            assertThat(ahead.stopped()).isTrue();
            assertThat(ahead.readAllBytes()).isEqualTo(body);
        }
    }

    @Test
    void withNoThreadToSpareTheReaderReadsTheBodyItself() throws IOException {
        byte[] body = "one\ntwo\n".getBytes();
        try (ReadAhead ahead = ReadAhead.of(new ByteArrayInputStream(body), runnable -> {
            throw new RejectedExecutionException("full");
        })) {
            assertThat(ahead.readAllBytes()).isEqualTo(body);
        }
    }

    /** A source that hands out at most {@code most} bytes a read, as a network stream does. */
    private static final class Trickle extends InputStream {
        private final InputStream source;
        private final int most;

        Trickle(InputStream source, int most) {
            this.source = source;
            this.most = most;
        }

        @Override
        public int read() throws IOException {
            return source.read();
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            return source.read(into, offset, Math.min(length, most));
        }
    }
}
