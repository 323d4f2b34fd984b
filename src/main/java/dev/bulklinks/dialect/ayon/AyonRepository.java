package dev.bulklinks.dialect.ayon;

import dev.bulklinks.database.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.UUID;

/** Every SQL statement of the AYON dialect: which jobs came through AYON's bulk route. */
@ApplicationScoped
class AyonRepository {

    private final Sql sql;

    AyonRepository(Sql sql) {
        this.sql = sql;
    }

    /** Marks {@code job} as submitted through AYON's bulk route; in the submission's transaction. */
    void markBulkJob(UUID job) throws SQLException {
        sql.update("INSERT INTO ayon_bulk_job (token) VALUES (?)", job);
    }

    /** Whether {@code job} came through AYON's bulk route: one look-up by primary key per job that ends. */
    boolean isBulkJob(UUID job) throws SQLException {
        return sql.first("SELECT 1 FROM ayon_bulk_job WHERE token = ?", rs -> true, job).isPresent();
    }
}
