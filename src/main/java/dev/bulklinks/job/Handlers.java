package dev.bulklinks.job;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.EnumMap;
import java.util.Map;

/** The {@link BatchHandler} of each job kind: the one place the engine learns what a kind needs. */
@ApplicationScoped
public class Handlers {

    private final Map<JobKind, BatchHandler> byKind = new EnumMap<>(JobKind.class);

    Handlers(Instance<BatchHandler> handlers) {
        handlers.forEach(h -> byKind.put(h.kind(), h));
    }

    /** The handler of jobs of {@code kind}. */
    public BatchHandler of(JobKind kind) {
        BatchHandler handler = byKind.get(kind);
        if (handler == null) {
            throw new IllegalStateException("no handler for jobs of kind " + kind.wireName());
        }
        return handler;
    }
}
