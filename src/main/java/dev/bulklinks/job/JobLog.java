package dev.bulklinks.job;

import java.util.UUID;

import org.jboss.logging.MDC;

/**
 * Marks the log lines about one job: while open, the job's token is in the logging context (MDC key
 * {@code job}), so every line logged meanwhile, the service's own and its libraries', carries it; JSON
 * logs show it as the field {@code "job"}. Opened with try-with-resources; closing restores what was
 * there before.
 */
public final class JobLog implements AutoCloseable {

    public static final String KEY = "job";

    private final Object previous;

    private JobLog(UUID token) {
        this.previous = MDC.put(KEY, token.toString());
    }

    /** Marks the lines logged until {@link #close()} as about the job {@code token}. */
    public static JobLog about(UUID token) {
        return new JobLog(token);
    }

    @Override
    public void close() {
        if (previous == null) {
            MDC.remove(KEY);
        } else {
            MDC.put(KEY, previous);
        }
    }
}
