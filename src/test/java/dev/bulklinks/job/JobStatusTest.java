package dev.bulklinks.job;

import static dev.bulklinks.job.JobStatus.CANCELLED;
import static dev.bulklinks.job.JobStatus.DONE;
import static dev.bulklinks.job.JobStatus.PROCESSING;
import static dev.bulklinks.job.JobStatus.QUEUED;
import static dev.bulklinks.job.JobStatus.REJECTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobStatusTest {

    private static final Map<JobStatus, Set<JobStatus>> ALLOWED = Map.of(
            QUEUED, EnumSet.of(PROCESSING, REJECTED, CANCELLED),
            PROCESSING, EnumSet.of(DONE, REJECTED, CANCELLED),
            DONE, EnumSet.noneOf(JobStatus.class),
            REJECTED, EnumSet.noneOf(JobStatus.class),
            CANCELLED, EnumSet.noneOf(JobStatus.class));

    @Test
    void everyPairOfStatusesIsAllowedOrRefusedAsTheTableSays() {
        for (JobStatus from : JobStatus.values()) {
            for (JobStatus to : JobStatus.values()) {
                assertThat(from.canMoveTo(to)).as("%s -> %s", from, to).isEqualTo(ALLOWED.get(from).contains(to));
            }
        }
    }

    @Test
    void finalStatusesAreTheOnesWithNoWayOut() {
        assertThat(EnumSet.allOf(JobStatus.class).stream().filter(JobStatus::isFinal))
                .containsExactlyInAnyOrder(DONE, REJECTED, CANCELLED);
    }

    @Test
    void wireNamesRoundTrip() {
        for (JobStatus status : JobStatus.values()) {
            assertThat(JobStatus.fromWire(status.wireName())).isEqualTo(status);
        }
        assertThat(QUEUED.wireName()).isEqualTo("queued");
    }
}
