package dev.bulklinks.link;

import java.util.UUID;

/**
 * Ids for new links: time-ordered UUIDs (version 7, RFC 9562), the millisecond first and 74 random
 * bits after it. New ids then land at the right edge of the primary key, (project, id), instead of
 * on a random page of it: measured on PostgreSQL 15 with 260,000 links, 1,000 links per insert, a
 * checkpoint before each run (so each page first touched writes its whole image to the WAL), random
 * ids wrote 5.4 MB of WAL per 1,000 links and time-ordered ones 3.8 MB (2026-11-30).
 */
public final class LinkIds {

    private LinkIds() {
    }

    /** A new, time-ordered id; its random bits come from {@link UUID#randomUUID()}, a secure source. */
    public static UUID next() {
        UUID random = UUID.randomUUID();
        long msb = System.currentTimeMillis() << 16 | 0x7000L | random.getMostSignificantBits() & 0x0FFFL;
        // randomUUID's low half already carries the RFC variant bits (10xx).
        return new UUID(msb, random.getLeastSignificantBits());
    }
}
