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
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
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
        return sign(owner.user(), owner.name(), owner.key());
    }

    private String sign(UUID user, String name, UUID key) {
        return Jwt.issuer(ISSUER).subject(user.toString()).upn(name).claim("key", key.toString())
                .expiresIn(config.tokenLifetime()).jws().sign(keys().getPrivate());
    }

    /**
     * A token that verified: the key it was issued for, the user it names, and when it was issued and
     * expires (its lifetime is the span between, whatever the configured lifetime is now).
     */
    public record Verified(UUID key, UUID user, String name, Instant issuedAt, Instant expiresAt) {

        /** Whether more than half of the token's lifetime has passed at {@code now}. */
        public boolean pastHalfLife(Instant now) {
            Duration lifetime = Duration.between(issuedAt, expiresAt);
            return !now.isBefore(issuedAt.plus(lifetime.dividedBy(2)));
        }
    }

    /** The id of the key a valid token was issued for; a 401 saying why when the token is not valid. */
    public UUID verify(String token) {
        return check(token).key();
    }

    /**
     * A fresh token for the bearer of {@code token} when more than half of its lifetime has passed,
     * so that a client that keeps talking to the service is never signed out: every answer to it
     * (HTTP, or a socket's {@code authorization} event) may carry one. Empty while the token is
     * young. A 401 when the token is not valid, or its key has been revoked.
     */
    public Optional<String> renewalFor(String token) throws SQLException {
        Verified verified = check(token);
        Optional<String> renewed = renewalFor(verified);
        if (renewed.isPresent() && repository.access(verified.key(), null).isEmpty()) {
            throw unauthorized("The API key this token was issued for has been revoked or removed.");
        }
        return renewed;
    }

    /**
     * The same for a token already verified, whose key the caller has checked is not revoked: no
     * database query.
     */
    public Optional<String> renewalFor(Verified verified) {
        if (!verified.pastHalfLife(Instant.now())) {
            return Optional.empty();
        }
        return Optional.of(sign(verified.user(), verified.name(), verified.key()));
    }

    /** Verifies {@code token}: what it says, once its signature, issuer and expiry are checked; else a 401 saying why. */
    public Verified check(String token) {
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
        UUID key;
        UUID user;
        try {
            key = UUID.fromString(jwt.getClaim("key").toString());
            user = UUID.fromString(jwt.getSubject());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw unauthorized("The token does not name its user and API key; get one from POST /api/auth.");
        }
        Instant expires = Instant.ofEpochSecond(jwt.getExpirationTime());
        // smallrye-jwt always writes iat; a token without one counts as issued a full lifetime before it expires.
        Instant issued = jwt.getIssuedAtTime() > 0 ? Instant.ofEpochSecond(jwt.getIssuedAtTime())
                : expires.minus(config.tokenLifetime());
        return new Verified(key, user, jwt.getName(), issued, expires);
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
