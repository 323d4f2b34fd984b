package dev.bulklinks.auth;

import dev.bulklinks.database.TextArrays;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Every SQL statement on users, API keys, memberships and the signing key. */
@ApplicationScoped
public class AuthRepository {

    private final AgroalDataSource dataSource;

    AuthRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
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
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        SELECT k.id, u.id, u.name, u.admin FROM api_key k JOIN app_user u ON u.id = k.user_id
                         WHERE k.hash = ? AND k.revoked_at IS NULL""")) {
            ps.setBytes(1, keyHash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new KeyOwner(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getString(3), rs.getBoolean(4))) : Optional.empty();
            }
        }
    }

    /** What key {@code key} may do in {@code project} (null: no project); empty when the key is revoked or gone. */
    Optional<Access> access(UUID key, String project) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        SELECT u.id, u.name, u.admin, m.project IS NOT NULL, m.link_types, m.role
                          FROM api_key k JOIN app_user u ON u.id = k.user_id
                          LEFT JOIN membership m ON m.user_id = u.id AND m.project = ?
                         WHERE k.id = ? AND k.revoked_at IS NULL""")) {
            ps.setString(1, project);
            ps.setObject(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Access(rs.getObject(1, UUID.class), rs.getString(2), rs.getBoolean(3),
                        rs.getBoolean(4), TextArrays.toSet(rs.getArray(5)), Role.of(rs.getString(6))));
            }
        }
    }

    /** The projects {@code user} is a member of. */
    public List<String> projectsOf(UUID user) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT project FROM membership WHERE user_id = ? ORDER BY project")) {
            ps.setObject(1, user);
            List<String> projects = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    projects.add(rs.getString(1));
                }
            }
            return projects;
        }
    }

    /** Creates a user; empty when the name is taken. */
    Optional<User> createUser(String name, boolean admin) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO app_user (id, name, admin) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING
                        RETURNING id, name, admin, created_at""")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setString(2, name);
            ps.setBoolean(3, admin);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(user(rs)) : Optional.empty();
            }
        }
    }

    /** The admin user called {@code name}, created when missing; answers its id. */
    UUID ensureAdmin(String name) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO app_user (id, name, admin) VALUES (?, ?, true)
                        ON CONFLICT (name) DO UPDATE SET admin = true RETURNING id""")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1, UUID.class);
            }
        }
    }

    boolean anyAdmin() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM app_user WHERE admin)");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    Optional<User> user(UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT id, name, admin, created_at FROM app_user WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(user(rs)) : Optional.empty();
            }
        }
    }

    List<User> users() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT id, name, admin, created_at FROM app_user ORDER BY name");
                ResultSet rs = ps.executeQuery()) {
            List<User> users = new ArrayList<>();
            while (rs.next()) {
                users.add(user(rs));
            }
            return users;
        }
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(rs.getObject(1, UUID.class), rs.getString(2), rs.getBoolean(3), rs.getTimestamp(4).toInstant());
    }

    /** Stores a key's hash for {@code user}; false when that key exists already. */
    boolean addKey(UUID id, UUID user, byte[] hash, String label) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO api_key (id, user_id, hash, label) VALUES (?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING""")) {
            ps.setObject(1, id);
            ps.setObject(2, user);
            ps.setBytes(3, hash);
            ps.setString(4, label);
            return ps.executeUpdate() == 1;
        }
    }

    /** Revokes a key; false when there is no such key not yet revoked. */
    boolean revokeKey(UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE api_key SET revoked_at = now() WHERE id = ? AND revoked_at IS NULL")) {
            ps.setObject(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Makes {@code user} a member of {@code project} with a role and an allow-list (null: every type),
     * or replaces both.
     */
    void putMembership(UUID user, String project, List<String> linkTypes, Role role) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO membership (user_id, project, link_types, role) VALUES (?, ?, ?, ?)
                        ON CONFLICT (user_id, project) DO UPDATE SET link_types = EXCLUDED.link_types,
                                                                     role = EXCLUDED.role""")) {
            ps.setObject(1, user);
            ps.setString(2, project);
            ps.setArray(3, TextArrays.of(c, linkTypes));
            ps.setString(4, role.wireName());
            ps.executeUpdate();
        }
    }

    boolean deleteMembership(UUID user, String project) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM membership WHERE user_id = ? AND project = ?")) {
            ps.setObject(1, user);
            ps.setString(2, project);
            return ps.executeUpdate() == 1;
        }
    }

    /** A user as a password sign-in reads it: {@code passwordHash} null when the user has no password. */
    record Login(UUID user, String name, boolean admin, String passwordHash) {
    }

    /** The user called {@code name}, with its password hash. */
    Optional<Login> login(String name) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT id, name, admin, password_hash FROM app_user WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Login(rs.getObject(1, UUID.class), rs.getString(2), rs.getBoolean(3),
                        rs.getString(4))) : Optional.empty();
            }
        }
    }

    /** Sets the user's password hash, or with null removes the password; false when there is no such user. */
    boolean setPasswordHash(UUID user, String hash) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE app_user SET password_hash = ? WHERE id = ?")) {
            ps.setString(1, hash);
            ps.setObject(2, user);
            return ps.executeUpdate() == 1;
        }
    }

    /** Revokes every password sign-in of {@code user}, as its password changes; answers how many. */
    int revokeLoginKeys(UUID user) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE api_key SET revoked_at = now() WHERE user_id = ? AND from_login AND revoked_at IS NULL")) {
            ps.setObject(1, user);
            return ps.executeUpdate();
        }
    }

    boolean hasPassword(UUID user) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT password_hash IS NOT NULL FROM app_user WHERE id = ?")) {
            ps.setObject(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** Stores the key of one password sign-in (its hash only: the key itself is never shown). */
    void addLoginKey(UUID id, UUID user, byte[] hash) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO api_key (id, user_id, hash, label, from_login) VALUES (?, ?, ?, 'password sign-in', true)""")) {
            ps.setObject(1, id);
            ps.setObject(2, user);
            ps.setBytes(3, hash);
            ps.executeUpdate();
        }
    }

    /** Revokes {@code key} if it is the key of a password sign-in; an API key a user made is never touched. */
    boolean revokeLoginKey(UUID key) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE api_key SET revoked_at = now() WHERE id = ? AND from_login AND revoked_at IS NULL")) {
            ps.setObject(1, key);
            return ps.executeUpdate() == 1;
        }
    }

    /** The stored signing key pair, base64 PKCS#8 and X.509: {private, public}. */
    Optional<String[]> signingKey() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT private_key, public_key FROM signing_key WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(new String[] {rs.getString(1), rs.getString(2)}) : Optional.empty();
        }
    }

    /** Stores a signing key pair unless another instance stored one first. */
    void offerSigningKey(String privateKey, String publicKey) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO signing_key (id, private_key, public_key) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING""")) {
            ps.setString(1, privateKey);
            ps.setString(2, publicKey);
            ps.executeUpdate();
        }
    }

    /** Jobs submitted with {@code key} within {@code window}, and when the oldest of them was. */
    record Recent(int count, Instant oldest) {
    }

    Recent submissions(UUID key, Duration window) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        SELECT count(*), min(created_at) FROM job
                         WHERE api_key = ? AND created_at > now() - ? * interval '1 millisecond'""")) {
            ps.setObject(1, key);
            ps.setLong(2, window.toMillis());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Timestamp oldest = rs.getTimestamp(2);
                return new Recent(rs.getInt(1), oldest == null ? null : oldest.toInstant());
            }
        }
    }
}
