package dev.bulklinks.job;

import dev.bulklinks.api.ApiError;
import dev.bulklinks.api.ApiException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What became of one item of a job. Rejected items are data, not exceptions: a chunk records one
 * outcome per item, in input order, in the same transaction as its writes.
 */
public sealed interface ItemOutcome {

    /** The one outcome of a deferred item. */
    Deferred DEFERRED = new Deferred();

    boolean success();

    /**
     * For a single call: the id the item wrote, or its refusal thrown as the call's error (the code
     * becomes the status, the details go in {@code info}).
     */
    default UUID idOrThrow() {
        if (this instanceof Created c) {
            return c.id();
        }
        if (this instanceof Updated u) {
            return u.id();
        }
        if (this instanceof Deleted d) {
            return d.id();
        }
        if (!(this instanceof Failed f)) {
            throw new IllegalStateException("a single call never defers an item");
        }
        throw new ApiException(new ApiError(f.code(), f.message(), f.details().isEmpty() ? Map.of()
                : Map.of("details", f.details())));
    }

    /** The item created {@code id}. */
    record Created(UUID id) implements ItemOutcome {
        public boolean success() {
            return true;
        }
    }

    /** The item updated {@code id}. */
    record Updated(UUID id) implements ItemOutcome {
        public boolean success() {
            return true;
        }
    }

    /** The item deleted {@code id}. */
    record Deleted(UUID id) implements ItemOutcome {
        public boolean success() {
            return true;
        }
    }

    /** The item was refused: {@code code} is the status a single call would answer (1001 for 422). */
    record Failed(int code, String message, List<String> details) implements ItemOutcome {
        public Failed {
            details = details == null ? List.of() : List.copyOf(details);
        }

        public Failed(int code, String message) {
            this(code, message, List.of());
        }

        public boolean success() {
            return false;
        }

    }

    /**
     * The item waits for an item of another chunk of its job (an entity whose parent comes later):
     * neither succeeded nor failed yet; the job's final pass settles it.
     */
    record Deferred() implements ItemOutcome {
        public boolean success() {
            return false;
        }
    }
}
