package dev.bulklinks.auth;

import dev.bulklinks.database.Sql;
import dev.bulklinks.database.TextArrays;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Every SQL statement on users, API keys, memberships and the signing key. */
@ApplicationScoped
public class AuthRepository {

    private final Sql sql;

    AuthRepository(Sql sql) {
        this.sql = sql;
    }

    /** The owner of a key that is not revoked. */
    public record KeyOwner(UUID key, UUID user, String name, boolean admin) {
    }

    /** A user as the admin endpoints show it. */
    public record User(UUID id, String name, boolean admin, Instant created_at) {
    }

    /**
     * What a key may do in one project: {@code member} false, and {@code role} null, for a user who
     * is not a member.
     */
    record Access(UUID user, String name, boolean admin, boolean member, Set<String> linkTypes, Role role) {
    }

    Optional<KeyOwner> ownerOf(byte[] keyHash) throws SQLException {
        return sql.first("""
                SELECT k.id, u.id, u.name, u.admin FROM api_key k JOIN app_user u ON u.id = k.user_id
                 WHERE k.hash = ? AND k.revoked_at IS NULL""",
                rs -> new KeyOwner(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getBoolean(4)),
                keyHash);
    }

    /** What key {@code key} may do in {@code project} (null: no project); empty when the key is revoked or gone. */
    Optional<Access> access(UUID key, String project) throws SQLException {
        return sql.first("""
                SELECT u.id, u.name, u.admin, m.project IS NOT NULL, m.link_types, m.role
                  FROM api_key k JOIN app_user u ON u.id = k.user_id
                  LEFT JOIN membership m ON m.user_id = u.id AND m.project = ?
                 WHERE k.id = ? AND k.revoked_at IS NULL""",
                rs -> new Access(rs.getObject(1, UUID.class), rs.getString(2), rs.getBoolean(3), rs.getBoolean(4),
                        TextArrays.toSet(rs.getArray(5)), Role.of(rs.getString(6))),
                project, key);
    }

    /** The projects {@code user} is a member of. */
    public List<String> projectsOf(UUID user) throws SQLException {
        return sql.list("SELECT project FROM membership WHERE user_id = ? ORDER BY project", rs -> rs.getString(1),
                user);
    }

    /** Creates a user; empty when the name is taken. */
    Optional<User> createUser(String name, boolean admin) throws SQLException {
        return sql.first("""
                INSERT INTO app_user (id, name, admin) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING
                RETURNING id, name, admin, created_at""", AuthRepository::user, UUID.randomUUID(), name, admin);
    }

    /** The admin user called {@code name}, created when missing; answers its id. */
    UUID ensureAdmin(String name) throws SQLException {
        return sql.one("""
                INSERT INTO app_user (id, name, admin) VALUES (?, ?, true)
                ON CONFLICT (name) DO UPDATE SET admin = true RETURNING id""", rs -> rs.getObject(1, UUID.class),
                UUID.randomUUID(), name);
    }

    boolean anyAdmin() throws SQLException {
        return sql.one("SELECT EXISTS (SELECT 1 FROM app_user WHERE admin)", rs -> rs.getBoolean(1));
    }

    Optional<User> user(UUID id) throws SQLException {
        return sql.first("SELECT id, name, admin, created_at FROM app_user WHERE id = ?", AuthRepository::user, id);
    }

    List<User> users() throws SQLException {
        return sql.list("SELECT id, name, admin, created_at FROM app_user ORDER BY name", AuthRepository::user);
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(rs.getObject(1, UUID.class), rs.getString(2), rs.getBoolean(3), rs.getTimestamp(4).toInstant());
    }

    /** Stores a key's hash for {@code user}; false when that key exists already. */
    boolean addKey(UUID id, UUID user, byte[] hash, String label) throws SQLException {
        return sql.update(
                "INSERT INTO api_key (id, user_id, hash, label) VALUES (?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING",
                id, user, hash, label) == 1;
    }

    /** Revokes a key; false when there is no such key not yet revoked. */
    boolean revokeKey(UUID id) throws SQLException {
        return sql.update("UPDATE api_key SET revoked_at = now() WHERE id = ? AND revoked_at IS NULL", id) == 1;
    }

    /**
     * Makes {@code user} a member of {@code project} with a role and an allow-list (null: every type),
     * or replaces both.
     */
    void putMembership(UUID user, String project, List<String> linkTypes, Role role) throws SQLException {
        sql.update("""
                INSERT INTO membership (user_id, project, link_types, role) VALUES (?, ?, ?, ?)
                ON CONFLICT (user_id, project) DO UPDATE SET link_types = EXCLUDED.link_types,
                                                             role = EXCLUDED.role""",
                user, project, linkTypes == null ? null : Sql.array("text", linkTypes.toArray()), role.wireName());
    }

    boolean deleteMembership(UUID user, String project) throws SQLException {
        return sql.update("DELETE FROM membership WHERE user_id = ? AND project = ?", user, project) == 1;
    }

    /** A user as a password sign-in reads it: {@code passwordHash} null when the user has no password. */
    record Login(UUID user, String name, boolean admin, String passwordHash) {
    }

    /** The user called {@code name}, with its password hash. */
    Optional<Login> login(String name) throws SQLException {
        return sql.first("SELECT id, name, admin, password_hash FROM app_user WHERE name = ?",
                rs -> new Login(rs.getObject(1, UUID.class), rs.getString(2), rs.getBoolean(3), rs.getString(4)), name);
    }

    /** Sets the user's password hash, or with null removes the password; false when there is no such user. */
    boolean setPasswordHash(UUID user, String hash) throws SQLException {
        return sql.update("UPDATE app_user SET password_hash = ? WHERE id = ?", hash, user) == 1;
    }

    /** Revokes every password sign-in of {@code user}, as its password changes; answers how many. */
    int revokeLoginKeys(UUID user) throws SQLException {
        return sql.update(
                "UPDATE api_key SET revoked_at = now() WHERE user_id = ? AND from_login AND revoked_at IS NULL", user);
    }

    boolean hasPassword(UUID user) throws SQLException {
        return sql.first("SELECT password_hash IS NOT NULL FROM app_user WHERE id = ?", rs -> rs.getBoolean(1), user)
                .orElse(false);
    }

    /** Stores the key of one password sign-in (its hash only: the key itself is never shown). */
    void addLoginKey(UUID id, UUID user, byte[] hash) throws SQLException {
        sql.update("""
                INSERT INTO api_key (id, user_id, hash, label, from_login) VALUES (?, ?, ?, 'password sign-in', true)""",
                id, user, hash);
    }

    /** Revokes {@code key} if it is the key of a password sign-in; an API key a user made is never touched. */
    boolean revokeLoginKey(UUID key) throws SQLException {
        return sql.update("UPDATE api_key SET revoked_at = now() WHERE id = ? AND from_login AND revoked_at IS NULL",
                key) == 1;
    }

    /** The stored signing key pair, base64 PKCS#8 and X.509: {private, public}. */
    Optional<String[]> signingKey() throws SQLException {
        return sql.first("SELECT private_key, public_key FROM signing_key WHERE id = 1",
                rs -> new String[] {rs.getString(1), rs.getString(2)});
    }

    /** Stores a signing key pair unless another instance stored one first. */
    void offerSigningKey(String privateKey, String publicKey) throws SQLException {
        sql.update("""
                INSERT INTO signing_key (id, private_key, public_key) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING""",
                privateKey, publicKey);
    }

    /** Jobs submitted with {@code key} within {@code window}, and when the oldest of them was. */
    record Recent(int count, Instant oldest) {
    }

    Recent submissions(UUID key, Duration window) throws SQLException {
        return sql.one("""
                SELECT count(*), min(created_at) FROM job
                 WHERE api_key = ? AND created_at > now() - ? * interval '1 millisecond'""", rs -> {
                    Timestamp oldest = rs.getTimestamp(2);
                    return new Recent(rs.getInt(1), oldest == null ? null : oldest.toInstant());
                }, key, window.toMillis());
    }
}
