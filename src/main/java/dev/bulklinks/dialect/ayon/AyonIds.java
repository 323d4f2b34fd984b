package dev.bulklinks.dialect.ayon;

import dev.bulklinks.api.ApiException;
import dev.bulklinks.entity.EntityIds;
import java.util.UUID;

/** AYON's ids: 32 lowercase hex digits, without dashes, in and out; ours are the same 128 bits as UUIDs. */
final class AyonIds {

    private AyonIds() {
    }

    /** The id as AYON writes it. */
    static String hex(UUID id) {
        return id == null ? null : id.toString().replace("-", "");
    }

    /** The id in {@code text} (32 hex digits, or a UUID); a 400 naming {@code field} when it is neither. */
    static UUID require(String field, String text) {
        UUID id = EntityIds.parse(text);
        if (id == null) {
            throw ApiException.badRequest(field + " must be an entity id: 32 hex digits, such as"
                    + " 0b4e7f7c8d1a4c55bf2e6a9d3c2e1f40" + (text == null ? "." : "; '" + EntityIds.abbreviate(text)
                    + "' is not one."));
        }
        return id;
    }
}
