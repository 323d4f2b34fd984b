package dev.bulklinks.intake;

import dev.bulklinks.api.ApiException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** A request body that refuses (413) to be read past its limit. */
final class LimitedInputStream extends FilterInputStream {

    private final long limit;
    private long read;

    LimitedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(int n) {
        read += n;
        if (read > limit) {
            throw tooLarge(limit);
        }
    }

    static ApiException tooLarge(long limit) {
        return ApiException.tooLarge("The body is larger than " + limit + " bytes, the most one submission may send;"
                + " split the import into several jobs.");
    }
}
