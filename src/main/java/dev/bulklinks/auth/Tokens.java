package dev.bulklinks.auth;

import dev.bulklinks.api.ApiError;
import dev.bulklinks.api.ApiException;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import java.io.IOException;
import java.security.GeneralSecurityException;

/**
 * Issues and verifies the service's tokens (RS256 JWTs, built and checked by smallrye-jwt). A token
 * names its user ({@code sub}, {@code upn}) and the API key it was issued for ({@code key}), so that
 * revoking the key ends it. The keys come from configuration, or else from the database, where the
 * first instance to start stores a pair it generated.
 */
@ApplicationScoped
public class Tokens {

    static final String ISSUER = "bulk-links";
    private static final Logger LOG = Logger.getLogger(Tokens.class);

    private final AuthConfig config;
    private final AuthRepository repository;
    private final JWTParser parser;
    private volatile KeyPair keys;

    Tokens(AuthConfig config, AuthRepository repository, JWTParser parser) {
        this.config = config;
        this.repository = repository;
        this.parser = parser;
    }

    /** A signed token for the owner of {@code key}, valid for the configured lifetime. */
    public String issue(AuthRepository.KeyOwner owner) {
        return Jwt.issuer(ISSUER).subject(owner.user().toString()).upn(owner.name()).claim("key", owner.key().toString())
                .expiresIn(config.tokenLifetime()).jws().sign(keys().getPrivate());
    }

    /** The id of the key a valid token was issued for; a 401 saying why when the token is not valid. */
    public UUID verify(String token) {
        JsonWebToken jwt;
        try {
            jwt = parser.verify(token, keys().getPublic());
        } catch (ParseException e) {
            LOG.debugf("Token refused: %s", e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            throw unauthorized(expired(token) ? "The token has expired; get a new one from POST /api/auth."
                    : "The token is not valid (malformed, or not signed by this service); get one from POST /api/auth.");
        }
        if (!ISSUER.equals(jwt.getIssuer()) || jwt.getClaim("key") == null) {
            throw unauthorized("The token was not issued by this service; get one from POST /api/auth.");
        }
        try {
            return UUID.fromString(jwt.getClaim("key").toString());
        } catch (IllegalArgumentException e) {
            throw unauthorized("The token names no API key; get one from POST /api/auth.");
        }
    }

    /** True when the token reads as a JWT whose expiry has passed (its signature is not checked). */
    private boolean expired(String token) {
        try {
            long exp = parser.parseOnly(token).getExpirationTime();
            return exp > 0 && Instant.ofEpochSecond(exp).isBefore(Instant.now());
        } catch (ParseException | RuntimeException e) {
            return false;
        }
    }

    static ApiException unauthorized(String message) {
        return new ApiException(new ApiError(401, message, Map.of()));
    }

    private KeyPair keys() {
        KeyPair pair = keys;
        if (pair == null) {
            synchronized (this) {
                if (keys == null) {
                    keys = load();
                }
                pair = keys;
            }
        }
        return pair;
    }

    private KeyPair load() {
        try {
            if (config.privateKeyLocation().isPresent() != config.publicKeyLocation().isPresent()) {
                throw new IllegalStateException("Set both bulklinks.auth.private-key-location and"
                        + " bulklinks.auth.public-key-location, or neither.");
            }
            if (config.privateKeyLocation().isPresent()) {
                return new KeyPair(KeyUtils.readPublicKey(config.publicKeyLocation().get()),
                        KeyUtils.readPrivateKey(config.privateKeyLocation().get()));
            }
            if (repository.signingKey().isEmpty()) {
                KeyPair generated = KeyUtils.generateKeyPair(2048);
                Base64.Encoder base64 = Base64.getEncoder();
                repository.offerSigningKey(base64.encodeToString(generated.getPrivate().getEncoded()),
                        base64.encodeToString(generated.getPublic().getEncoded()));
                LOG.info("Generated the key pair that signs tokens and stored it in the database; set"
                        + " bulklinks.auth.private-key-location and public-key-location to use your own");
            }
            String[] stored = repository.signingKey().orElseThrow();
            PrivateKey privateKey = KeyUtils.decodePrivateKey(stored[0]);
            PublicKey publicKey = KeyUtils.decodePublicKey(stored[1]);
            return new KeyPair(publicKey, privateKey);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the signing key from the database", e);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not read the signing keys: " + e.getMessage(), e);
        }
    }
}
