package dev.bulklinks.api;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import java.util.List;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Hands the check of request URIs from Quarkus to {@link RequestGate}.
 *
 * <p>Quarkus's first HTTP handler parses every request URI with {@code java.net.URI} and answers a
 * bare 400, before any route or filter, to a URI that it cannot parse: a raw {@code |} among them,
 * which curl sends as written in {@code .../links/types/breakdown|folder|folder}. Its only switch is
 * the system property {@code vertx.disableURIValidation}, read once when Quarkus's HTTP recorder
 * class initialises, which happens after the configuration is first built: this factory is asked for
 * configuration sources then, and sets the property (it provides no source). {@link RequestGate}
 * then makes the same check as the first route, reads the unsafe characters curl sends raw as if they
 * were percent-encoded, and refuses a URI that still cannot be parsed with 400 in the envelope, so
 * nothing unparsable reaches the routes.
 */
public class UriCheckHandover implements ConfigSourceFactory {

    static final String PROPERTY = "vertx.disableURIValidation";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        System.setProperty(PROPERTY, "true");
        return List.of();
    }
}
