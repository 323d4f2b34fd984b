package dev.bulklinks.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulklinks.api.ApiException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool of a body: nameless on disk, read back whole, and a 503 (never a 500) when it cannot be written. */
class SpoolTest {

    @TempDir
    Path dir;

    @Test
    void whatIsWrittenIsReadBackAndTheFileHasNoName() throws Exception {
        try (Spool spool = Spool.create(dir)) {
            spool.output().write("[{\"a\":1}]\t1\n".getBytes(StandardCharsets.UTF_8));
            assertThat(spool.size()).isEqualTo(12);
            try (var files = Files.list(dir)) {
                assertThat(files).as("unlinked once open").isEmpty();
            }
            assertThat(new String(spool.input().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("[{\"a\":1}]\t1\n");
        }
    }

    @Test
    void aSpoolThatCannotBeWrittenIs503() throws Exception {
        Spool spool = Spool.create(dir);
        OutputStream out = spool.output();
        spool.close();
        assertThatThrownBy(() -> {
            out.write(new byte[1 << 17]);
            out.flush();
        }).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).error().code()).isEqualTo(503))
                .hasMessageContaining("cannot spool the body");

        Path notADirectory = Files.createFile(dir.resolve("file"));
        assertThatThrownBy(() -> Spool.create(notADirectory.resolve("spool"))).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).error().code()).isEqualTo(503));
    }
}
