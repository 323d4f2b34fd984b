package dev.bulklinks.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** New link ids are time-ordered UUIDs: what the primary key's right-edge appends rely on. */
class LinkIdsTest {

    @Test
    void idsAreVersion7WithTheRfcVariantAndUnique() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(LinkIds.next());
        }
        assertThat(ids).allSatisfy(id -> {
            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2);
        });
        assertThat(new HashSet<>(ids)).hasSize(ids.size());
    }

    @Test
    void anIdMadeInALaterMillisecondSortsAfter() {
        long before = System.currentTimeMillis();
        UUID first = LinkIds.next();
        // Spin to the next millisecond on the clock the ids read (no sleep: nothing asynchronous is awaited).
        while (System.currentTimeMillis() <= before + 1) {
            Thread.onSpinWait();
        }
        UUID second = LinkIds.next();
        assertThat(Long.compareUnsigned(second.getMostSignificantBits(), first.getMostSignificantBits())).isPositive();
        assertThat(first.getMostSignificantBits() >>> 16).isBetween(before, System.currentTimeMillis());
    }
}
