package dev.bulklinks.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;

/**
 * The first route of every HTTP request, before auth and resources: what the HTTP layer would refuse
 * bare, an overlong URI (414), oversized headers (431) or a URI that cannot be parsed (400), is refused
 * here in the envelope; and the characters that curl sends raw but a URI may not hold ({@code |} of
 * link types, {@code { } [ ] ^ \ " < >} and the backquote) are read as if they were percent-encoded.
 *
 * <p>Quarkus's own URI check, which would answer first and bare, is handed over to this route by
 * {@link UriCheckHandover}; Vert.x's limits on the request line and headers
 * ({@code quarkus.http.limits.max-initial-line-length}, {@code max-header-size}) sit far above this
 * route's, as a backstop.
 */
@ApplicationScoped
public class RequestGate {

    /** Limits of a request's head ({@code bulklinks.api.*}). */
    @ConfigMapping(prefix = "bulklinks.api")
    public interface Config {
        /** Longest request URI, path and query, in characters; a longer one is refused with 414. Default 4096. */
        @WithDefault("4096")
        int maxUriLength();

        /** Most bytes of request headers (names, values, separators); more are refused with 431. Default 20K. */
        @WithDefault("20K")
        MemorySize maxHeaderSize();
    }

    /** Characters a client may send raw that {@code java.net.URI} refuses in a path or query. */
    private static final String UNSAFE = "\"<>[\\]^`{|}";

    private final int maxUriLength;
    private final long maxHeaderSize;
    private final ObjectMapper json;

    RequestGate(Config config, ObjectMapper json) {
        this.maxUriLength = config.maxUriLength();
        this.maxHeaderSize = config.maxHeaderSize().asLongValue();
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::check);
    }

    private void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        String uri = request.uri();
        String encoded = encodeUnsafe(uri);
        Optional<ApiError> refusal = refusal(uri, encoded, headerBytes(request));
        if (refusal.isPresent()) {
            ErrorMapper.respond(context, refusal.get(), json);
        } else if (encoded.equals(uri)) {
            context.next();
        } else {
            // Routing starts again with the encoded URI, so every route, filter and resource sees
            // what a client that encodes would have sent; this route then lets it through.
            context.reroute(request.method(), encoded);
        }
    }

    /** Why a request is refused, if it is: its URI as sent, the same {@link #encodeUnsafe encoded}, its head size. */
    private Optional<ApiError> refusal(String uri, String encoded, long headerBytes) {
        if (uri.length() > maxUriLength) {
            return Optional.of(new ApiError(414, "The request URI is " + uri.length() + " characters long;"
                    + " the most this service reads is " + maxUriLength + " (bulklinks.api.max-uri-length)."
                    + " Send long lists in a request body.", Map.of("limit", maxUriLength)));
        }
        if (headerBytes > maxHeaderSize) {
            return Optional.of(new ApiError(431, "The request headers take " + headerBytes + " bytes;"
                    + " the most this service reads is " + maxHeaderSize + " (bulklinks.api.max-header-size)."
                    + " Send fewer or shorter headers.", Map.of("limit", maxHeaderSize)));
        }
        return unparsable(encoded);
    }

    /**
     * {@code uri} with every character of {@link #UNSAFE} percent-encoded, when it holds one and cannot
     * be parsed as sent; else {@code uri} itself, so that a valid URI is never rewritten.
     */
    static String encodeUnsafe(String uri) {
        if (uri.chars().noneMatch(c -> UNSAFE.indexOf(c) >= 0) || unparsable(uri).isEmpty()) {
            return uri;
        }
        StringBuilder encoded = new StringBuilder(uri.length() + 16);
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (UNSAFE.indexOf(c) >= 0) {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            } else {
                encoded.append(c);
            }
        }
        return encoded.toString();
    }

    private static Optional<ApiError> unparsable(String uri) {
        try {
            new URI(uri);
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of(new ApiError(400, "The request URI cannot be read: " + e.getReason()
                    + ". Percent-encode what a URI may not hold as written:"
                    + " a % that starts no %XX escape as %25, control characters and spaces as %XX.",
                    null));
        }
    }

    /** The size of the request's headers as sent: each name, ": ", value and line end. */
    private static long headerBytes(HttpServerRequest request) {
        long bytes = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            bytes += header.getKey().length() + header.getValue().length() + 4;
        }
        return bytes;
    }
}
