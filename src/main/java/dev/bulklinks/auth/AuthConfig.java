package dev.bulklinks.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Tokens, keys and abuse limits ({@code bulklinks.auth.*}). */
@ConfigMapping(prefix = "bulklinks.auth")
public interface AuthConfig {

    /**
     * How long a token from a sign-in is valid; past half of it, every answer to the token carries a
     * renewed one. Default 1h.
     */
    @WithDefault("1h")
    Duration tokenLifetime();

    /**
     * An API key for the user {@code admin}, set at each start ({@code BULKLINKS_AUTH_ADMIN_API_KEY}),
     * at least 20 characters. No default: with none set and no admin in the database, the service
     * creates a key and writes it to {@link #bootstrapKeyFile()}.
     */
    Optional<String> adminApiKey();

    /** Where a key created at the first start is written, readable by its owner only. Default admin-api-key. */
    @WithDefault("admin-api-key")
    Path bootstrapKeyFile();

    /**
     * PEM file of the RSA private key that signs tokens; with {@link #publicKeyLocation()}. No
     * default: the service then uses a key pair it generated at its first start and keeps in the
     * database, shared by every instance.
     */
    Optional<String> privateKeyLocation();

    /** PEM file of the public key that verifies tokens. No default (see {@link #privateKeyLocation()}). */
    Optional<String> publicKeyLocation();

    /** Bulk submissions a key may make per minute, across instances; more answer 429. Default 120. */
    @WithDefault("120")
    int submissionsPerMinute();
}
