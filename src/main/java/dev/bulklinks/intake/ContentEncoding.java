package dev.bulklinks.intake;

import dev.bulklinks.api.ApiError;
import dev.bulklinks.api.ApiException;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The {@code Content-Encoding} of a bulk body: none ({@code identity}) or {@code gzip}, which large
 * NDJSON imports compress about tenfold. The body's limits count decoded bytes, so a small
 * compressed body cannot unpack into more than a plain one may hold.
 */
final class ContentEncoding {

    /** What a 415 names as accepted. */
    static final String ACCEPTED = "gzip, or none (identity)";

    private ContentEncoding() {
    }

    /** Fails with 415 unless {@code header} names an encoding this service reads. */
    static void check(String header) {
        if (!isGzip(header) && !isIdentity(header)) {
            throw new ApiException(new ApiError(415, "Content-Encoding '" + header + "' is not supported; send the"
                    + " body with Content-Encoding " + ACCEPTED + ".", Map.of("accepted", ACCEPTED)));
        }
    }

    /** The decoded body: {@code body} itself, or its gzip decoding, whose faults are 400s. */
    static InputStream decode(String header, InputStream body) throws IOException {
        check(header);
        if (!isGzip(header)) {
            return body;
        }
        try {
            return new Gunzip(new GZIPInputStream(body, 1 << 16));
        } catch (ZipException | EOFException e) {
            throw notGzip(e);
        }
    }

    private static boolean isIdentity(String header) {
        return header == null || header.isBlank() || header.strip().equalsIgnoreCase("identity");
    }

    private static boolean isGzip(String header) {
        String name = header == null ? "" : header.strip().toLowerCase(Locale.ROOT);
        return name.equals("gzip") || name.equals("x-gzip");
    }

    private static ApiException notGzip(IOException e) {
        return ApiException.badRequest("The body is not valid gzip data (" + e.getMessage() + "), though"
                + " Content-Encoding says gzip; nothing was stored. Send it compressed whole, or without the header.");
    }

    /** Turns a fault of the compressed data into the 400 that says so. */
    private static final class Gunzip extends FilterInputStream {

        Gunzip(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (ZipException | EOFException e) {
                throw notGzip(e);
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return super.read(buffer, offset, length);
            } catch (ZipException | EOFException e) {
                throw notGzip(e);
            }
        }
    }
}
