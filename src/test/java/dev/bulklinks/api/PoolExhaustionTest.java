package dev.bulklinks.api;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static dev.bulklinks.fixtures.Api.link;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.SignedIn;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every connection of the pool taken (as 30 slow uploads once took them): requests are refused as
 * an overload, 503 with Retry-After in the envelope, and work again once connections come free.
 */
@QuarkusTest
class PoolExhaustionTest {

    @Inject
    AgroalDataSource dataSource;

    private final List<Connection> held = new ArrayList<>();
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Logger mapperLog = Logger.getLogger(ErrorMapper.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        mapperLog.addHandler(capture);
    }

    /** Gives every connection back, whatever the test did: the next test classes share this pool. */
    @AfterEach
    void releaseEveryConnection() throws SQLException {
        mapperLog.removeHandler(capture);
        release();
    }

    private void release() throws SQLException {
        for (Connection c : held) {
            c.close();
        }
        held.clear();
    }

    /**
     * Takes every connection of the pool, the sync listener's too: it gives its own back when it
     * cannot get a second one to read the feed with, and then waits behind us.
     */
    private void takeEveryConnection() {
        int max = dataSource.getConfiguration().connectionPoolConfiguration().maxSize();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(1)).until(() -> {
            try {
                held.add(dataSource.getConnection());
            } catch (SQLException e) {
                // What Agroal throws, and what the service must recognise: no SQLSTATE, no cause.
                assertThat((Throwable) e).hasMessage("Sorry, acquisition timeout!").hasNoCause();
                assertThat(e.getSQLState()).isNull();
            }
            return held.size() == max;
        });
    }

    private static ValidatableResponse assertOverloaded(ValidatableResponse response) {
        return response.statusCode(503)
                .contentType(ContentType.JSON)
                .header("Retry-After", equalTo("5"))
                .body("success", equalTo(false))
                .body("result.code", equalTo(503))
                .body("result.message", containsString("busy"))
                .body("data", anEmptyMap());
    }

    @Test
    void anExhaustedPoolAnswers503WithRetryAfterAndRecoversWhenConnectionsComeFree() throws SQLException {
        Api.FolderPair pair = Api.folderPair();
        SignedIn.bearer(); // signing in needs the database too: do it while it answers
        Map<String, Object> oneLink = Map.of("links", List.of(link(pair.a(), pair.b(), BREAKDOWN)));

        takeEveryConnection();

        assertOverloaded(json().get("/api/p/{p}/jobs", pair.project()).then());
        assertOverloaded(json().body(oneLink).post("/api/p/{p}/links/bulk", pair.project()).then());

        List<LogRecord> refusals = logged.stream().filter(r -> r.getMessage().contains("503")).toList();
        assertThat(refusals).as("one line per refused request").hasSize(2).allSatisfy(r -> {
            assertThat(r.getLevel().intValue()).isEqualTo(Level.WARNING.intValue());
            assertThat(r.getThrown()).as("no stack trace").isNull();
        });
        assertThat(logged).noneMatch(r -> r.getLevel().intValue() > Level.WARNING.intValue());

        release();
        json().get("/api/p/{p}/jobs", pair.project()).then().statusCode(200).body("success", equalTo(true));
        Api.submit(pair.project(), "/links/bulk", oneLink);
    }
}
