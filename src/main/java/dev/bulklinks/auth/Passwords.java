package dev.bulklinks.auth;

import dev.bulklinks.api.ApiException;
import io.quarkus.elytron.security.common.BcryptUtil;
import java.nio.charset.StandardCharsets;

/**
 * Users' passwords: only a bcrypt hash is stored, made and checked by Quarkus's {@link BcryptUtil}
 * (WildFly Elytron's bcrypt, with its salt and cost in the hash). Unlike API keys, passwords are
 * chosen by people and may be guessed, so a slow hash is worth its cost here.
 */
final class Passwords {

    /** The shortest password an admin may set. */
    static final int MIN_LENGTH = 8;
    /** bcrypt reads at most 72 bytes: a longer password would be checked on its first 72 only. */
    static final int MAX_BYTES = 72;
    /** Checked against when the user is unknown, so that the answer takes as long as for a known one. */
    private static final String DUMMY = BcryptUtil.bcryptHash("not a password of anyone");

    private Passwords() {
    }

    /** Refuses (400) a password too short or too long, saying what to send. */
    static void requireAcceptable(String password) {
        if (password == null || password.length() < MIN_LENGTH
                || password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw ApiException.badRequest("Send {\"password\": \"...\"}: at least " + MIN_LENGTH + " characters and at most "
                    + MAX_BYTES + " bytes in UTF-8 (bcrypt reads no more).");
        }
    }

    static String hash(String password) {
        return BcryptUtil.bcryptHash(password);
    }

    /** Whether {@code password} matches {@code hash}; with no hash (unknown user, no password), false, as slowly. */
    static boolean matches(String password, String hash) {
        if (password == null || password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            BcryptUtil.matches("", DUMMY);
            return false;
        }
        if (hash == null) {
            BcryptUtil.matches(password, DUMMY);
            return false;
        }
        return BcryptUtil.matches(password, hash);
    }
}
