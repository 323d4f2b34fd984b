package dev.bulklinks.dialect.ayon;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/** Every SQL statement of the AYON dialect: which jobs came through AYON's bulk route. */
@ApplicationScoped
class AyonRepository {

    private final AgroalDataSource dataSource;

    AyonRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Marks {@code job} as submitted through AYON's bulk route; in the submission's transaction. */
    void markBulkJob(UUID job) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO ayon_bulk_job (token) VALUES (?)")) {
            ps.setObject(1, job);
            ps.executeUpdate();
        }
    }

    /** Whether {@code job} came through AYON's bulk route: one look-up by primary key per job that ends. */
    boolean isBulkJob(UUID job) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT 1 FROM ayon_bulk_job WHERE token = ?")) {
            ps.setObject(1, job);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
