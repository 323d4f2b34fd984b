package dev.bulklinks.job;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a job does; the name is the contract's {@code job} field. Mirrored by the CHECK on {@code job.kind}. */
public enum JobKind {
    /** Unicat's records/bulk/link: link a parent to a selection of records. */
    BULK_LINK_RECORDS,
    /** links/bulk: create (or, in upsert mode, update) links item by item. */
    BULK_UPSERT_LINKS,
    /** links/bulk/delete: delete links by id. */
    BULK_DELETE_LINKS,
    /** entities/bulk: create or update entities by id or by source key. */
    BULK_UPSERT_ENTITIES;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobKind fromWire(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
