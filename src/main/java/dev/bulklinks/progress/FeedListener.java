package dev.bulklinks.progress;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

/**
 * Feeds this instance's streams. One thread LISTENs on its own connection; each notification (one
 * per committed transaction, from whichever instance) or, lacking one, each poll interval, it reads
 * the feed after the last event it saw and hands every new event to the streams. The stored feed is
 * the truth: a lost notification only delays an event until the next poll.
 */
@ApplicationScoped
public class FeedListener {

    private static final Logger LOG = Logger.getLogger(FeedListener.class);
    /** Events read at once, from the feed or in a catch-up. */
    static final int PAGE = 500;
    /** Seconds a client may take to receive a page of its catch-up before it is dropped. */
    private static final int CATCH_UP_TIMEOUT = 60;

    private final SyncFeed feed;
    private final SyncConfig config;
    private final AgroalDataSource dataSource;
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private volatile long lastSeen;
    private volatile boolean stopping;
    private Thread thread;
    private ScheduledExecutorService heartbeat;

    FeedListener(SyncFeed feed, SyncConfig config, AgroalDataSource dataSource) {
        this.feed = feed;
        this.config = config;
        this.dataSource = dataSource;
    }

    /** Reads a page of events after a cursor, for a catch-up. */
    interface PageReader {
        List<SyncEvent> after(long cursor) throws SQLException;
    }

    void start(@Observes StartupEvent event) {
        thread = new Thread(this::listen, "bulklinks-feed-listener");
        thread.setDaemon(true);
        thread.start();
        long every = config.heartbeat().toMillis();
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "bulklinks-feed-heartbeat"));
        heartbeat.scheduleWithFixedDelay(() -> subscriptions.forEach(Subscription::heartbeat), every, every,
                TimeUnit.MILLISECONDS);
    }

    /** Closes every stream: clients reconnect, to another instance if need be, and lose nothing. */
    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        subscriptions.forEach(Subscription::close);
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Number of open streams in this instance. */
    public int subscribers() {
        return subscriptions.size();
    }

    /**
     * Opens a stream: live events are queued for it from now on, while the caller catches it up
     * with {@link #catchUp} and then lets it go live.
     */
    Subscription open(Subscription.Sink sink, Predicate<SyncEvent> wanted, Predicate<SyncEvent> last) {
        Subscription[] self = new Subscription[1];
        self[0] = new Subscription(sink, wanted, last, config.maxPending(), () -> subscriptions.remove(self[0]));
        subscriptions.add(self[0]);
        return self[0];
    }

    /**
     * Sends the stored events after {@code from}, page by page, waiting for the client to take each
     * page; answers how many were sent. Runs on the request's worker thread, never on the event loop.
     */
    int catchUp(Subscription subscription, PageReader reader, long from) throws SQLException {
        long cursor = from;
        int sent = 0;
        while (!subscription.isClosed()) {
            List<SyncEvent> page = reader.after(cursor);
            List<CompletableFuture<?>> sends = new ArrayList<>(page.size());
            for (SyncEvent event : page) {
                if (subscription.isClosed()) {
                    break;
                }
                sends.add(Subscription.completion(subscription.sendCatchUp(event)));
                cursor = event.cursor();
                sent++;
            }
            try {
                CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(CATCH_UP_TIMEOUT, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                subscription.close();
            } catch (ExecutionException | TimeoutException e) {
                subscription.close();
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        return sent;
    }

    private void listen() {
        boolean failing = false;
        while (!stopping) {
            try (Connection connection = dataSource.getConnection()) {
                try (Statement s = connection.createStatement()) {
                    s.execute("LISTEN " + SyncFeed.CHANNEL);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                if (failing) {
                    LOG.info("The feed listener reaches the database again");
                    failing = false;
                }
                while (!stopping) {
                    readNew();
                    pg.getNotifications((int) config.pollInterval().toMillis());
                }
            } catch (SQLException | RuntimeException e) {
                if (stopping) {
                    return;
                }
                if (!failing) {
                    LOG.warnf("The feed listener lost the database (%s); streams wait, and resume where they were",
                            e.getMessage());
                    failing = true;
                }
                pause();
            }
        }
    }

    /** Hands every event after the last one seen to the streams, in cursor order. */
    private void readNew() throws SQLException {
        if (subscriptions.isEmpty()) {
            long newest = feed.newest();
            // A stream opened while newest() ran may have caught up before the newest events committed:
            // then lastSeen must not skip them, and they are read below.
            if (subscriptions.isEmpty()) {
                lastSeen = newest;
                return;
            }
        }
        List<SyncEvent> page;
        do {
            page = feed.read(lastSeen, Long.MAX_VALUE, null, PAGE);
            for (SyncEvent event : page) {
                for (Subscription subscription : subscriptions) {
                    subscription.offer(event);
                }
                lastSeen = event.cursor();
            }
        } while (page.size() == PAGE && !stopping);
    }

    private void pause() {
        try {
            Thread.sleep(config.pollInterval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }
}
