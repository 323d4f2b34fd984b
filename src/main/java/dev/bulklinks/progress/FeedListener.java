package dev.bulklinks.progress;

import dev.bulklinks.api.ApiException;
import dev.bulklinks.job.JobSubmitted;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Feeds this instance's streams. One thread LISTENs on its own connection; each notification (one
 * per sequencer run that gave cursors, from whichever instance) or, lacking one, each poll interval, it
 * reads the feed after the last event it saw and hands every new event to the streams. The stored feed
 * is the truth: a lost notification only delays an event until the next poll. The same connection
 * hears of every job submitted on any instance ({@link JobSubmitted#CHANNEL}), and wakes this
 * instance's idle workers.
 *
 * <p>Another thread is the instance's sequencer ({@link SyncFeed#sequence()}): it runs when a
 * transaction of this instance that wrote events commits ({@link PendingEvents}), once for any number of
 * them, and each poll interval for events another instance wrote and did not sequence (it died first).
 * Apart from the reading thread, so that a sequencer waiting for another never holds up the streams.
 */
@ApplicationScoped
public class FeedListener {

    private static final Logger LOG = Logger.getLogger(FeedListener.class);
    /** Most events read at once, from the feed or in a catch-up (fewer when they reach the byte limit). */
    static final int PAGE = 500;

    private final SyncFeed feed;
    private final SyncConfig config;
    private final AgroalDataSource dataSource;
    private final StreamBudget budget;
    private final PendingEvents pending;
    private final Event<JobSubmitted> submitted;
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private volatile long lastSeen;
    private volatile boolean stopping;
    private Thread thread;
    private Thread sequencer;
    private ScheduledExecutorService heartbeat;

    FeedListener(SyncFeed feed, SyncConfig config, AgroalDataSource dataSource, PendingEvents pending,
            Event<JobSubmitted> submitted) {
        this.submitted = submitted;
        this.feed = feed;
        this.config = config;
        this.dataSource = dataSource;
        this.pending = pending;
        this.budget = new StreamBudget(config.maxPendingBytes().asLongValue(), config.maxPendingBytesTotal().asLongValue());
    }

    /** Reads the events after a cursor, for a catch-up: at most {@code maxBytes} of them, but at least one. */
    interface PageReader {
        List<SyncEvent> after(long cursor, long maxBytes) throws SQLException;
    }

    void start(@Observes StartupEvent event) {
        thread = new Thread(this::listen, "bulklinks-feed-listener");
        thread.setDaemon(true);
        thread.start();
        sequencer = new Thread(this::sequence, "bulklinks-feed-sequencer");
        sequencer.setDaemon(true);
        sequencer.start();
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
        if (sequencer != null) {
            sequencer.interrupt();
        }
    }

    /** Number of open streams in this instance. */
    public int subscribers() {
        return subscriptions.size();
    }

    /** Bytes of events the streams of this instance hold (queued, or sent and not yet taken by their client). */
    public long pendingBytes() {
        return budget.used();
    }

    /**
     * Opens a stream: live events are queued for it from now on, while the caller catches it up
     * with {@link #catchUp} and then lets it go live with {@link #goLive}. Refused (503, with
     * Retry-After) while the streams of this instance hold so much that one more stream's budget does
     * not fit: they are clients that do not read, and are cut off within the send timeout.
     */
    Subscription open(Subscription.Sink sink, Predicate<SyncEvent> wanted, Predicate<SyncEvent> last) {
        if (!budget.admit()) {
            throw ApiException.unavailable("This instance holds as many undelivered events as it may for streams whose"
                    + " clients are behind (bulklinks.sync.max-pending-bytes-total); retry after the Retry-After"
                    + " seconds, or at another instance.");
        }
        Subscription[] self = new Subscription[1];
        self[0] = new Subscription(sink, wanted, last, budget, config.sendTimeout(), System::nanoTime, () -> {
            subscriptions.remove(self[0]);
            budget.leave();
        });
        subscriptions.add(self[0]);
        return self[0];
    }

    /**
     * Follows {@code query} for one client: opens its stream on {@code sink} (refused with 503 while this
     * instance is full), runs {@code opened} (an SSE stream's first comment), then {@link #follow}s it.
     * What {@code /sync/stream} runs.
     */
    public Subscription follow(Subscription.Sink sink, SyncQuery query, Runnable opened) throws SQLException {
        Subscription subscription = subscribe(sink, query);
        try {
            opened.run();
        } catch (RuntimeException e) {
            subscription.abort();
            throw e;
        }
        follow(subscription, query);
        return subscription;
    }

    /**
     * Opens a stream of the items {@code query} wants, refused with 503 while this instance is full: live
     * items wait in it from now on, until {@link #follow} catches it up and lets it go live. For a client
     * that must know it is admitted before it starts (the socket.io push, {@code progress/socketio}).
     */
    public Subscription subscribe(Subscription.Sink sink, SyncQuery query) {
        return open(sink, query::wants, event -> false);
    }

    /**
     * Sends a stream opened by {@link #subscribe} the stored items after the query's cursors at the
     * client's pace, then lets it go live: every later item the query wants, once each, in cursor order,
     * whichever instance wrote it. Blocks while it catches up: call it on a worker thread, never on the
     * event loop. On failure the stream is cut (its client resumes from its last item) and the exception
     * thrown.
     */
    public void follow(Subscription subscription, SyncQuery query) throws SQLException {
        // Each reading goes on after the later of its own cursor and the last item sent (SyncQuery.after).
        PageReader reader = (after, maxBytes) -> feed.items(query.after(after), PAGE, maxBytes);
        try {
            catchUp(subscription, reader, query.lowest());
            goLive(subscription, reader);
        } catch (SQLException | RuntimeException e) {
            subscription.abort();
            throw e;
        }
    }

    /**
     * Sends the stored events after {@code from}, page by page, never more at once than the stream's
     * budget lets it hold for its client: the next page is read when the client has taken enough of the
     * last. Holds no database connection while it waits. Answers how many events were sent. Runs on the
     * request's worker thread, never on the event loop.
     */
    static int catchUp(Subscription subscription, PageReader reader, long from) throws SQLException {
        long cursor = from;
        int sent = 0;
        while (!subscription.isClosed()) {
            long room = subscription.awaitRoom();
            if (room < 0) {
                break;
            }
            List<SyncEvent> page;
            try {
                page = reader.after(cursor, room);
                for (SyncEvent event : page) {
                    if (subscription.isClosed()) {
                        break;
                    }
                    subscription.sendCatchUp(event);
                    cursor = event.cursor();
                    sent++;
                }
            } finally {
                subscription.endPage();
            }
            if (page.isEmpty()) {
                break;
            }
        }
        return sent;
    }

    /**
     * Lets a caught-up stream go live; when live events had to be dropped meanwhile, reads them from
     * the feed first, as many times as it takes.
     */
    static void goLive(Subscription subscription, PageReader reader) throws SQLException {
        while (!subscription.isClosed() && !subscription.goLive()) {
            catchUp(subscription, reader, subscription.sent());
        }
    }

    private void listen() {
        boolean failing = false;
        while (!stopping) {
            try (Connection connection = dataSource.getConnection()) {
                try (Statement s = connection.createStatement()) {
                    s.execute("LISTEN " + SyncFeed.CHANNEL);
                    s.execute("LISTEN " + JobSubmitted.CHANNEL);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                if (failing) {
                    LOG.info("The feed listener reaches the database again");
                    failing = false;
                }
                while (!stopping) {
                    readNew();
                    PGNotification[] notifications = pg.getNotifications((int) config.pollInterval().toMillis());
                    announceJobs(notifications);
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

    /** Sequences the feed when told that events were written here, and each poll interval at least. */
    private void sequence() {
        boolean failing = false;
        while (!stopping) {
            try {
                pending.await(config.pollInterval().toMillis());
                feed.sequence();
                if (failing) {
                    LOG.info("The feed sequencer reaches the database again");
                    failing = false;
                }
            } catch (InterruptedException e) {
                return;
            } catch (SQLException | RuntimeException e) {
                if (stopping) {
                    return;
                }
                if (!failing) {
                    LOG.warnf("The feed sequencer lost the database (%s); new events wait for their cursors, and"
                            + " are sequenced once it is back", e.getMessage());
                    failing = true;
                }
            }
        }
    }

    /**
     * Tells this instance's idle workers of the jobs submitted anywhere (the submitting instance's own
     * too, which already knows: its workers take each job's announcement once).
     */
    private void announceJobs(PGNotification[] notifications) {
        if (notifications == null) {
            return;
        }
        for (PGNotification notification : notifications) {
            if (JobSubmitted.CHANNEL.equals(notification.getName())) {
                try {
                    submitted.fire(JobSubmitted.of(notification.getParameter()));
                } catch (IllegalArgumentException e) {
                    LOG.debugf("Ignored a notification on %s without a job token", JobSubmitted.CHANNEL);
                }
            }
        }
    }

    /** Hands every event after the last one seen to the streams, in cursor order. */
    private void readNew() throws SQLException {
        if (subscriptions.isEmpty()) {
            long newest = feed.lastGiven();
            // A stream opened while newest() ran may have caught up before the newest events committed:
            // then lastSeen must not skip them, and they are read below.
            if (subscriptions.isEmpty()) {
                lastSeen = newest;
                return;
            }
        }
        // A page is shared by every stream; its bytes are bounded like one stream's budget.
        long maxBytes = budget.perStream();
        List<SyncEvent> page;
        long bytes;
        do {
            page = feed.read(lastSeen, Long.MAX_VALUE, null, PAGE, maxBytes);
            bytes = 0;
            for (SyncEvent event : page) {
                for (Subscription subscription : subscriptions) {
                    subscription.offer(event);
                }
                lastSeen = event.cursor();
                bytes += event.size();
            }
        } while ((page.size() == PAGE || bytes >= maxBytes) && !stopping);
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
