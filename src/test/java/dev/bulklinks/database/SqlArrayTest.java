package dev.bulklinks.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Array parameters reach PostgreSQL element for element, whichever way {@link Sql#array} sends them
 * (text and integers in binary form, UUIDs as a literal): nulls, quotes, backslashes, commas, braces,
 * "NULL" as text and non-ASCII characters come back as they were sent.
 */
@QuarkusTest
class SqlArrayTest {

    @Inject
    Sql sql;

    @Test
    void textComesBackAsSentNullsAndQuotingCharactersIncluded() throws SQLException {
        Object[] sent = {"plain", null, "say \"hi\"", "back\\slash", "a,b", "{braces}", "NULL", "", "héllo ✓",
                "{\"occurrence\": 3}"};
        assertThat(roundTrip("text", sent)).containsExactly(sent);
    }

    @Test
    void integersAndUuidsComeBackAsSentNullsIncluded() throws SQLException {
        Object[] numbers = {1, null, -7, Integer.MAX_VALUE};
        assertThat(roundTrip("int4", numbers)).containsExactly(numbers);
        Object[] ids = {UUID.randomUUID(), null, UUID.fromString("01a22fac-4b46-76ea-b2e9-15834c14bd10")};
        assertThat(roundTrip("uuid", ids)).containsExactly(ids);
        assertThat(roundTrip("uuid", new Object[0])).isEmpty();
    }

    @Test
    void anArrayOfOtherValuesIsStillBound() throws SQLException {
        // Strings in a uuid array: not written out by hand, handed to the driver as they are.
        Object[] ids = {"9d2c4f1e-7a6b-4e3d-8c21-5f0a9b8e7d60"};
        assertThat(roundTrip("uuid", ids)).containsExactly(UUID.fromString("9d2c4f1e-7a6b-4e3d-8c21-5f0a9b8e7d60"));
    }

    private List<Object> roundTrip(String type, Object[] values) throws SQLException {
        return sql.list("SELECT v FROM unnest(?::" + type + "[]) WITH ORDINALITY AS t(v, n) ORDER BY n",
                rs -> rs.getObject(1), Sql.array(type, Arrays.copyOf(values, values.length)));
    }
}
