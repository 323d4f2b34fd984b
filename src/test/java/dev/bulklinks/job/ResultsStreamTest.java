package dev.bulklinks.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bulklinks.api.ApiException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How results.ndjson pages through a job's chunks, on plain objects: no HTTP, no database. */
class ResultsStreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JobView job(int total) {
        return new JobView(UUID.randomUUID(), "p", JobKind.BULK_UPSERT_LINKS, JobStatus.DONE,
                new JobView.Info(total, 0, total, 0), JsonNodeFactory.instance.objectNode(), Instant.now(), Instant.now(),
                Instant.now(), Instant.now(), null, 1, "seed");
    }

    /** {@code chunks} chunks of {@code size} successes each, as stored. */
    private static List<ChunkResults> chunks(int chunks, int size) {
        List<ChunkResults> all = new ArrayList<>();
        for (int c = 0; c < chunks; c++) {
            StringBuilder outcomes = new StringBuilder("[");
            for (int i = 0; i < size; i++) {
                outcomes.append(i == 0 ? "" : ",").append("{\"success\":true,\"id\":\"x").append(c * size + i)
                        .append("\",\"operation\":\"CREATE\"}");
            }
            all.add(new ChunkResults(c, c * size, size, outcomes.append(']').toString(), false));
        }
        return all;
    }

    /** Pages of {@code stored}, read by chunk number as the repository reads them; records each statement. */
    private static ResultsStream.Pages pages(List<ChunkResults> stored, List<Integer> statements) {
        return (after, limit) -> {
            statements.add(after);
            return stored.stream().filter(c -> c.chunkNo() > after).limit(limit).toList();
        };
    }

    private static ResultsStream stream(JobView job, ResultsStream.Pages pages) {
        return new ResultsStream(job, pages, (chunk, sink) -> {
            try {
                var outcomes = JSON.readTree(chunk.outcomes());
                for (int i = 0; i < chunk.itemCount(); i++) {
                    sink.accept(OutcomeCodec.withIndex(chunk.firstIndex() + i, outcomes.get(i), false));
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, JSON.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET), () -> { }, 4);
    }

    @Test
    void everyResultInOrderReadAPageOfChunksAtATime() throws Exception {
        List<Integer> statements = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        stream(job(1000), pages(chunks(10, 100), statements)).write(out);
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(1000);
        for (int i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i)).as("line %d, as written", i).startsWith("{\"index\":" + i + ",");
            assertThat(JSON.readTree(lines.get(i)).path("index").asInt()).isEqualTo(i);
        }
        assertThat(statements).as("keyset pages of 4 chunks, and one that finds the end").containsExactly(-1, 3, 7, 9);
    }

    @Test
    void aJobThatGoesMidWayEndsTheStreamWithAnErrorNotAnEnd() {
        List<ChunkResults> stored = new ArrayList<>(chunks(10, 100));
        ResultsStream.Pages vanishing = (after, limit) -> {
            List<ChunkResults> page = stored.stream().filter(c -> c.chunkNo() > after).limit(limit).toList();
            stored.clear(); // retention deletes the job after the first page
            return page;
        };
        assertThatThrownBy(() -> stream(job(1000), vanishing).write(new ByteArrayOutputStream()))
                .isInstanceOf(ApiException.class).hasMessageContaining("400 of 1000 lines");
    }

    @Test
    void aDatabaseFailureMidWayEndsTheStreamWithAnError() {
        List<ChunkResults> stored = chunks(10, 100);
        ResultsStream.Pages failing = (after, limit) -> {
            if (after >= 3) {
                throw new SQLException("the connection was lost", "08006");
            }
            return stored.stream().filter(c -> c.chunkNo() > after).limit(limit).toList();
        };
        assertThatThrownBy(() -> stream(job(1000), failing).write(new ByteArrayOutputStream()))
                .isInstanceOf(IOException.class).hasRootCauseInstanceOf(SQLException.class);
    }

    @Test
    void aClientThatLeavesEndsTheStreamQuietly() {
        java.io.OutputStream leaving = new java.io.OutputStream() {
            private int written;

            @Override
            public void write(int b) throws IOException {
                if (++written > 100_000) {
                    throw new IOException("Connection has been closed");
                }
            }
        };
        assertThatThrownBy(() -> stream(job(10_000), pages(chunks(100, 100), new ArrayList<>())).write(leaving))
                .isInstanceOf(ApiException.class).hasMessageContaining("client closed the connection");
    }
}
