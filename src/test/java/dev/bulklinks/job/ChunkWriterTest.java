package dev.bulklinks.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The spooled rows a {@link ChunkWriter} writes, as COPY's text format reads them. */
class ChunkWriterTest {

    private final ByteArrayOutputStream spool = new ByteArrayOutputStream();
    private final ChunkWriter writer = new ChunkWriter(spool, 2);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Adds {@code json} as one whole item. */
    private void add(String json) throws Exception {
        byte[] bytes = utf8(json);
        writer.add(bytes, 0, bytes.length);
    }

    @Test
    void rowsHoldUpToAChunkOfItemsAndTheirCount() throws Exception {
        add("{\"a\":1}");
        add("{\"a\":2}");
        add("{\"a\":3}");

        assertThat(writer.finish()).isEqualTo(3);
        assertThat(spool.toString(StandardCharsets.UTF_8)).isEqualTo("[{\"a\":1},{\"a\":2}]\t2\n[{\"a\":3}]\t1\n");
    }

    @Test
    void escapesWhatCopyGivesAMeaning() throws Exception {
        add("{\"a\":\"back\\\\slash \\\"q\\\" é\"}");
        add("raw\ttab\nline\rreturn");

        writer.finish();
        assertThat(spool.toString(StandardCharsets.UTF_8))
                .isEqualTo("[{\"a\":\"back\\\\\\\\slash \\\\\"q\\\\\" é\"},raw\\ttab\\nline\\rreturn]\t2\n");
    }

    @Test
    void takesAnItemFromPartOfABuffer() throws Exception {
        byte[] buffer = utf8("xx{\"a\":\"\\\\\"}yy");
        writer.add(buffer, 2, buffer.length - 4);

        writer.finish();
        assertThat(spool.toString(StandardCharsets.UTF_8)).isEqualTo("[{\"a\":\"\\\\\\\\\"}]\t1\n");
    }

    @Test
    void retriedItemsCarryTheirOriginalIndexes() throws Exception {
        writer.add(utf8("1"), 4);
        writer.add(utf8("2"), 17);
        writer.add(utf8("3"), 912);

        writer.finish();
        assertThat(spool.toString(StandardCharsets.UTF_8)).isEqualTo("[1,2]\t2\t{4,17}\n[3]\t1\t{912}\n");
    }
}
