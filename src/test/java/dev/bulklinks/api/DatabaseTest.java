package dev.bulklinks.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * What a database error answers. Unicat's client retries every 5xx, POSTs included, so only a
 * failure that a retry may mend is a 5xx: the others answer 4xx, and a 500 is left for the
 * service's own faults.
 */
class DatabaseTest {

    private static ApiError describe(String sqlState) {
        return Database.describe(new SQLException("ERROR: something\n  Where: SQL statement \"SELECT 1\"", sqlState));
    }

    @Test
    void failuresARetryMendsAre503() {
        for (String state : new String[] {"08006", "57P01", "53300", "40001", "40P01", "55P03", "57014"}) {
            assertThat(describe(state)).as(state).isNotNull().extracting(ApiError::code).isEqualTo(503);
        }
        assertThat(Database.describe(new SQLException(Database.POOL_TIMEOUT)).code()).isEqualTo(503);
    }

    @Test
    void failuresARetryCannotMendAre4xxWithoutTheStatement() {
        for (String state : new String[] {"22003", "22P02", "22001", "22P05"}) {
            assertThat(describe(state)).as(state).isNotNull().extracting(ApiError::code).isEqualTo(400);
        }
        for (String state : new String[] {"23503", "23502", "23514", "23505"}) {
            assertThat(describe(state)).as(state).isNotNull().extracting(ApiError::code).isEqualTo(409);
        }
        assertThat(describe("54000").code()).isEqualTo(413);
        assertThat(describe("22003").message()).contains("ERROR: something").doesNotContain("SELECT");
    }

    @Test
    void theServicesOwnFaultsStay500() {
        assertThat(describe("42P01")).isNull(); // undefined table: a bug or a broken schema
        assertThat(describe("XX000")).isNull();
        assertThat(Database.describe(new SQLException("no state"))).isNull();
    }
}
