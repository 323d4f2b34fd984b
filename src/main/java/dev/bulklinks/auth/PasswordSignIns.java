package dev.bulklinks.auth;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Sign-in with a user's name and password (AYON's {@code POST /api/auth/login}), and its logout. Each
 * sign-in gets a key of its own that nobody is shown; its token names that key, so the token works
 * wherever a token does (with the user's memberships and allow-lists), and logging out revokes that key
 * alone.
 */
@ApplicationScoped
public class PasswordSignIns {

    private static final Logger LOG = Logger.getLogger(PasswordSignIns.class);

    private final AuthRepository repository;
    private final Tokens tokens;

    PasswordSignIns(AuthRepository repository, Tokens tokens) {
        this.repository = repository;
        this.tokens = tokens;
    }

    /** A successful sign-in: the token (a JWT) and who it names. */
    public record SignedIn(String token, String user, boolean admin) {
    }

    /** A user as the dialects show it. */
    public record Account(String name, boolean admin, Instant createdAt, boolean hasPassword) {
    }

    /** A token for the user {@code name} if {@code password} is theirs; empty otherwise, whatever the reason. */
    public Optional<SignedIn> signIn(String name, String password) throws SQLException {
        Optional<AuthRepository.Login> login = name == null ? Optional.empty() : repository.login(name);
        if (!Passwords.matches(password, login.map(AuthRepository.Login::passwordHash).orElse(null))) {
            LOG.infof("Password sign-in refused for '%s'", name == null ? "" : name);
            return Optional.empty();
        }
        AuthRepository.Login user = login.orElseThrow();
        UUID key = UUID.randomUUID();
        repository.addLoginKey(key, user.user(), ApiKeys.hash(ApiKeys.generate()));
        return Optional.of(new SignedIn(tokens.issue(new AuthRepository.KeyOwner(key, user.user(), user.name(), user.admin())),
                user.name(), user.admin()));
    }

    /** Ends the caller's sign-in if it was one with a password; a caller using an API key keeps it. */
    public boolean signOut(Caller caller) throws SQLException {
        return repository.revokeLoginKey(caller.key());
    }

    /** The caller's account. */
    public Account account(Caller caller) throws SQLException {
        AuthRepository.User user = repository.user(caller.user()).orElseThrow();
        return new Account(user.name(), user.admin(), user.created_at(), repository.hasPassword(caller.user()));
    }
}
