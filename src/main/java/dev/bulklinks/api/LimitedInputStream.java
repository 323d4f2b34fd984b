package dev.bulklinks.api;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * A request body that refuses (413) to be read past its limit, and, for streamed bulk bodies, past
 * a limit per item: memory then stays bounded even when one item is huge.
 */
public final class LimitedInputStream extends FilterInputStream {

    private final long limit;
    private final String advice;
    private long read;
    private long itemLimit = Long.MAX_VALUE;
    private long itemStart;
    private Supplier<String> item;

    /** {@code advice} ends the 413's message: what the caller should do instead. */
    public LimitedInputStream(InputStream in, long limit, String advice) {
        super(in);
        this.limit = limit;
        this.advice = advice;
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

    /**
     * Starts counting item {@code where} ("links[3]"): reading more than {@code itemLimit} bytes before
     * the next item starts is refused. Jackson reads ahead a few kilobytes, so the count is approximate
     * by that much.
     */
    public void startItem(String where, long itemLimit) {
        startItem(() -> where, itemLimit);
    }

    /**
     * As {@link #startItem(String, long)}, with the item's name made only for the 413: a bulk body
     * starts a million items, and naming each up front took about 2% of reading it.
     */
    public void startItem(Supplier<String> where, long itemLimit) {
        this.item = where;
        this.itemLimit = itemLimit;
        this.itemStart = read;
    }

    private void count(int n) {
        read += n;
        if (read > limit) {
            throw tooLarge(limit, advice);
        }
        if (read - itemStart > itemLimit) {
            throw ApiException.tooLarge(item.get() + " is larger than " + itemLimit + " bytes, the most one item may be;"
                    + " keep each item's data small.");
        }
    }

    /** The 413 for a body over {@code limit} bytes. */
    public static ApiException tooLarge(long limit, String advice) {
        return ApiException.tooLarge("The body is larger than " + limit + " bytes, the most this resource accepts; "
                + advice);
    }
}
