package dev.bulklinks.progress;

import dev.bulklinks.database.Batches;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Deletes sync events older than the retention, a batch per transaction. */
@ApplicationScoped
public class FeedTrimmer {

    private static final Logger LOG = Logger.getLogger(FeedTrimmer.class);
    private static final int BATCH = 10_000;

    private final SyncFeed feed;
    private final SyncConfig config;

    FeedTrimmer(SyncFeed feed, SyncConfig config) {
        this.feed = feed;
        this.config = config;
    }

    @Scheduled(every = "${bulklinks.sync.trim-interval:1h}", delay = 1, delayUnit = java.util.concurrent.TimeUnit.MINUTES,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void trim() {
        try {
            int total = Batches.untilDone(BATCH, limit -> feed.trim(config.retention(), limit));
            if (total > 0) {
                LOG.infof("Trimmed %d sync events older than %s", total, config.retention());
            }
        } catch (RuntimeException e) {
            LOG.warnf("Trimming the sync feed failed (%s); it is tried again later", e.getMessage());
        }
    }
}
