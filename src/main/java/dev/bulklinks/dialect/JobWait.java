package dev.bulklinks.dialect;

import dev.bulklinks.intake.Intake;
import dev.bulklinks.job.JobRepository;
import dev.bulklinks.job.JobView;
import dev.bulklinks.progress.FeedListener;
import dev.bulklinks.progress.SyncEvent;
import dev.bulklinks.progress.SyncFeed;
import dev.bulklinks.progress.Subscription;
import dev.bulklinks.progress.SyncQuery;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.interceptor.Interceptor;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * A synchronous answer over the asynchronous engine, for the dialects whose clients expect the final
 * result of a bulk request in its response (AYON, SAS, Propeller). A resource stores the job through
 * the one intake ({@link Intake#submitLinks}), then returns the stage {@link #answer} (or
 * {@link #finished}) gives it: the request is suspended while the job runs, holding no worker thread and
 * no database connection, and resumes when the job's final status reaches this instance through the sync
 * feed (whichever instance ran it), or when the wait is over.
 *
 * <p>All waits of the instance share one stream of the feed ({@link FeedListener}), which hands each job's
 * final event to the requests waiting for that job; a timer ends each wait. A request with
 * {@code Prefer: respond-async} (RFC 7240), or one whose job outlasts the wait
 * ({@code bulklinks.dialects.wait}), answers 202 with the job token and {@code Location}, and its client
 * follows the job with the native API.
 */
@ApplicationScoped
public class JobWait {

    private static final Logger LOG = Logger.getLogger(JobWait.class);

    /** The request header that asks for 202 at once ({@code Prefer: respond-async}). */
    public static final String PREFER = "Prefer";
    /** Its OpenAPI description, for the dialects' routes. */
    public static final String PREFER_DESCRIPTION = "respond-async: answer 202 with the job token and Location at"
            + " once, without waiting for the job; follow it with GET /api/p/{project}/jobs/{token}.";

    private final JobRepository jobs;
    private final SyncFeed feed;
    private final FeedListener listener;
    private final DialectConfig config;
    private final Vertx vertx;
    /** The requests waiting, by job token. Changed only inside the map's atomic operations. */
    private final Map<UUID, List<Waiter>> waiting = new ConcurrentHashMap<>();
    private volatile Subscription stream;
    private volatile boolean stopping;

    JobWait(JobRepository jobs, SyncFeed feed, FeedListener listener, DialectConfig config, Vertx vertx) {
        this.jobs = jobs;
        this.feed = feed;
        this.listener = listener;
        this.config = config;
        this.vertx = vertx;
    }

    /** How long {@link #answer} waits: {@code bulklinks.dialects.wait}. */
    public Duration defaultWait() {
        return config.syncWait();
    }

    /**
     * True when a {@code Prefer} header asks for {@code respond-async}: a list of preferences separated by
     * commas, each a token with optional parameters after {@code ;}, compared ignoring case.
     */
    public static boolean respondAsync(String prefer) {
        if (prefer == null) {
            return false;
        }
        for (String preference : prefer.split(",")) {
            String token = preference.split(";", 2)[0].split("=", 2)[0].trim();
            if (token.toLowerCase(Locale.ROOT).equals("respond-async")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The answer of a synchronous route whose job {@code accepted} is stored: with {@code Prefer:
     * respond-async}, 202 at once; else {@code done} applied to the finished job (on a worker thread, where
     * it may read the job's results), or 202 when the job runs longer than {@link #defaultWait()}. The 202
     * is the native one ({@link Intake.Accepted#toResponse}): the token in the envelope, Location the job.
     * Call it on the request's worker thread, and return the stage from the resource method.
     */
    public CompletionStage<Response> answer(String project, Intake.Accepted accepted, String prefer,
            Function<JobView, Response> done) {
        if (respondAsync(prefer)) {
            return CompletableFuture.completedFuture(accepted(project, accepted, true));
        }
        return finished(project, accepted.token(), config.syncWait())
                .thenApply(job -> job.map(done).orElseGet(() -> accepted(project, accepted, false)));
    }

    /** 202 with the job token and Location; {@code Preference-Applied: respond-async} when it was asked for. */
    public static Response accepted(String project, Intake.Accepted accepted, boolean preferenceApplied) {
        Response response = accepted.toResponse(project);
        if (preferenceApplied) {
            response.getHeaders().add("Preference-Applied", "respond-async");
        }
        return response;
    }

    /**
     * Completes with the job once it is done, rejected or cancelled, or with nothing once {@code wait} is
     * over (or the instance shuts down) and it is not. Holds no thread and no connection meanwhile. Reads
     * the job once first (it may have finished already) and once when it ends; call it on a worker thread.
     * The stage completes on a worker thread, never the event loop, so that what follows may block.
     */
    public CompletionStage<Optional<JobView>> finished(String project, UUID token, Duration wait) {
        Waiter waiter = new Waiter(project, token);
        waiting.compute(token, (key, list) -> {
            List<Waiter> waiters = list == null ? new ArrayList<>() : list;
            waiters.add(waiter);
            return waiters;
        });
        try {
            follow();
        } catch (Exception e) {
            // No stream now (this instance holds all the undelivered events it may): the client follows its job.
            LOG.warnf("A synchronous request answers 202 at once: the job feed cannot be followed (%s)", e.getMessage());
            forget(waiter);
            waiter.end(Optional.empty());
            return waiter.result;
        }
        // After the stream is live: a final status committed before this read is seen here, any later one
        // comes through the stream.
        Optional<JobView> now = read(project, token);
        if (now.isEmpty() || now.get().status().isFinal()) {
            forget(waiter);
            waiter.end(now);
            return waiter.result;
        }
        waiter.timer = vertx.setTimer(Math.max(1, wait.toMillis()), id -> {
            if (forget(waiter)) {
                hop(waiter, () -> Optional.empty());
            }
        });
        return waiter.result;
    }

    /** Opens the instance's one stream of job events, unless it is open: from the newest event on. */
    private void follow() throws Exception {
        if (stream != null && !stream.isClosed()) {
            return;
        }
        synchronized (this) {
            if (stream != null && !stream.isClosed()) {
                return;
            }
            long newest = QuarkusTransaction.requiringNew().call(feed::newest);
            SyncQuery jobEvents = new SyncQuery(null, newest, null, null);
            Subscription opened = listener.subscribe(new FinalStatuses(), jobEvents);
            listener.follow(opened, jobEvents);
            stream = opened;
        }
    }

    /** Hands a job's final event to the requests waiting for it. Runs on the feed listener's thread. */
    private void ended(SyncEvent event) {
        UUID token;
        try {
            token = UUID.fromString(event.dataKey());
        } catch (IllegalArgumentException e) {
            return;
        }
        List<Waiter> waiters = waiting.remove(token);
        if (waiters == null) {
            return;
        }
        for (Waiter waiter : waiters) {
            vertx.cancelTimer(waiter.timer);
            hop(waiter, () -> read(waiter.project, waiter.token));
        }
    }

    /** Removes the waiter; true when it was still waiting (neither its job's end nor its timer took it). */
    private boolean forget(Waiter waiter) {
        boolean[] removed = new boolean[1];
        waiting.computeIfPresent(waiter.token, (key, list) -> {
            removed[0] = list.remove(waiter);
            return list.isEmpty() ? null : list;
        });
        return removed[0];
    }

    /** Ends the wait on a worker thread, with what {@code outcome} reads there. */
    private void hop(Waiter waiter, java.util.concurrent.Callable<Optional<JobView>> outcome) {
        vertx.executeBlocking(outcome, false).onComplete(done -> {
            if (done.succeeded()) {
                waiter.end(done.result());
            } else {
                waiter.fail(done.cause());
            }
        });
    }

    private Optional<JobView> read(String project, UUID token) {
        return QuarkusTransaction.requiringNew().call(() -> jobs.find(project, token));
    }

    /** Answers every request still waiting (202: its client follows the job) before the instance stops. */
    void stop(@Observes @Priority(Interceptor.Priority.APPLICATION) ShutdownEvent event) {
        // Before the feed listener closes its streams (default priority), so that this one's end is expected.
        stopping = true;
        releaseAll();
    }

    private void releaseAll() {
        for (UUID token : List.copyOf(waiting.keySet())) {
            List<Waiter> waiters = waiting.remove(token);
            if (waiters != null) {
                waiters.forEach(waiter -> {
                    vertx.cancelTimer(waiter.timer);
                    waiter.end(Optional.empty());
                });
            }
        }
    }

    /** Number of requests waiting on this instance. */
    public int waiting() {
        return waiting.values().stream().mapToInt(List::size).sum();
    }

    /** One request waiting for one job. */
    private static final class Waiter {
        final String project;
        final UUID token;
        final CompletableFuture<Optional<JobView>> result = new CompletableFuture<>();
        final AtomicBoolean ended = new AtomicBoolean();
        volatile long timer = -1;

        Waiter(String project, UUID token) {
            this.project = project;
            this.token = token;
        }

        void end(Optional<JobView> job) {
            if (ended.compareAndSet(false, true)) {
                result.complete(job);
            }
        }

        void fail(Throwable error) {
            if (ended.compareAndSet(false, true)) {
                result.completeExceptionally(error);
            }
        }
    }

    /** The stream's end: takes each job's final event; every send is taken at once. */
    private final class FinalStatuses implements Subscription.Sink {
        private final CompletableFuture<Void> taken = CompletableFuture.completedFuture(null);

        @Override
        public CompletionStage<?> send(SyncEvent event) {
            if (event.isFinalJobStatus()) {
                ended(event);
            }
            return taken;
        }

        @Override
        public CompletionStage<?> heartbeat() {
            return taken;
        }

        /**
         * The stream ended (the instance stops, or it was cut): the requests waiting answer 202 rather than
         * wait for events that no longer come; the next wait opens a new stream.
         */
        @Override
        public void close() {
            if (!stopping) {
                LOG.warn("The stream of job events of synchronous requests closed; those waiting answer 202");
            }
            releaseAll();
        }
    }
}
