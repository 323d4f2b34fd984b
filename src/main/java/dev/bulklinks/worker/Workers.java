package dev.bulklinks.worker;

import dev.bulklinks.job.JobLog;
import dev.bulklinks.job.ChunkQueue;
import dev.bulklinks.job.Claim;
import dev.bulklinks.job.JobSubmitted;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/**
 * The worker threads of this instance. Each claims a chunk, runs it, and claims the next; when
 * there is none it waits for the poll interval, or less if a job is submitted. A heartbeat
 * renews the leases of the chunks running, so that only a stopped or stalled worker loses one. A job
 * submitted to any instance wakes idle workers at once ({@link JobSubmitted}).
 */
@ApplicationScoped
public class Workers {

    private static final Logger LOG = Logger.getLogger(Workers.class);

    private final WorkerConfig config;
    private final ChunkRunner runner;
    private final ChunkQueue jobs;
    private final String instance = instanceName();
    private final Set<Claim> running = ConcurrentHashMap.newKeySet();
    /** When each busy worker took its current chunk (System.nanoTime), by worker name. */
    private final Map<String, Long> busySince = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    /** Guards {@link #wakeups}, {@link #waiting} and {@link #announced}. */
    private final Object idle = new Object();
    /** Counts the wake-ups, so that a worker that was not waiting when one came does not wait past it. */
    private long wakeups;
    /** The idle workers, parked, with the largest job each may take (null: any), in the order they parked. */
    private final Map<Thread, Integer> waiting = new LinkedHashMap<>();
    /**
     * The jobs announced lately: the instance that takes a job hears of it twice (its own event, then the
     * NOTIFY that every instance hears), and wakes its workers for it once.
     */
    private final Set<UUID> announced = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
            return size() > 1024;
        }
    });
    private volatile boolean stopping;
    private volatile boolean databaseDown;
    private ScheduledExecutorService heartbeat;

    Workers(WorkerConfig config, ChunkRunner runner, ChunkQueue jobs) {
        this.config = config;
        this.runner = runner;
        this.jobs = jobs;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("Workers are off in this instance (bulklinks.worker.enabled=false)");
            return;
        }
        for (int i = 0; i < config.threads() + config.smallJobThreads(); i++) {
            String owner = instance + "/" + i;
            // The threads after the first config.threads() are kept for small jobs.
            Integer maxJobItems = i < config.threads() ? null : config.smallJobItems();
            Thread thread = new Thread(() -> loop(owner, maxJobItems),
                    (maxJobItems == null ? "bulklinks-worker-" : "bulklinks-small-job-worker-") + i);
            threads.add(thread);
            thread.start();
        }
        long every = Math.max(config.lease().toMillis() / 3, 100);
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "bulklinks-heartbeat"));
        heartbeat.scheduleWithFixedDelay(this::renewLeases, every, every, TimeUnit.MILLISECONDS);
        LOG.infof("%d workers (and %d for small jobs) started as %s", config.threads(), config.smallJobThreads(),
                instance);
    }

    /**
     * Stops claiming, lets running chunks finish within the grace period, then hands the chunks still
     * running back to the queue, so that another instance takes them at once instead of waiting for
     * their leases to expire. A worker that finishes one after that fails its lease guard and rolls back.
     */
    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        wakeAll();
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
        int released = 0;
        for (Claim claim : running) {
            try {
                if (QuarkusTransaction.requiringNew().timeout(5).call(
                        () -> jobs.release(claim, "its instance shut down", java.time.Duration.ZERO))) {
                    released++;
                }
            } catch (RuntimeException e) {
                try (JobLog log = JobLog.about(claim.job())) {
                    LOG.warnf("Could not hand back chunk %d of job %s (%s); its lease will expire", claim.chunkNo(),
                            claim.job(), e.getMessage());
                }
            }
        }
        threads.forEach(Thread::interrupt);
        LOG.infof("Workers stopped; %d running chunks handed back after the %s grace period", released,
                config.shutdownGrace());
    }

    /**
     * A job was submitted, in this instance or another ({@link JobSubmitted#CHANNEL}): idle workers look at
     * once. A job of one chunk wakes one worker that may take it (one kept for small jobs first), a larger
     * one (or one of unknown size) all of them. Waking all for every job, each idle worker of every instance
     * claimed and all but one found nothing: two round trips each, for every small job (2026-12-02).
     */
    void submitted(@Observes JobSubmitted event) {
        synchronized (idle) {
            if (!announced.add(event.token())) {
                return;
            }
            if (event.chunks() == null || event.chunks() > 1) {
                wakeAll();
                return;
            }
            wakeups++;
            Thread chosen = ableToTake(event.items());
            if (chosen != null) {
                LockSupport.unpark(chosen);
            }
        }
    }

    /**
     * A waiting worker that may take a job of {@code items}: the first kept for small jobs that may, else
     * the first that takes any job; null when none waits. Called holding {@link #idle}.
     */
    private Thread ableToTake(int items) {
        Thread any = null;
        for (Map.Entry<Thread, Integer> worker : waiting.entrySet()) {
            Integer most = worker.getValue();
            if (most != null && items <= most) {
                return worker.getKey();
            }
            if (most == null && any == null) {
                any = worker.getKey();
            }
        }
        return any;
    }

    private void wakeAll() {
        synchronized (idle) {
            wakeups++;
            waiting.keySet().forEach(LockSupport::unpark);
        }
    }

    private void loop(String owner, Integer maxJobItems) {
        while (!stopping) {
            long seen;
            synchronized (idle) {
                seen = wakeups;
            }
            Optional<Claim> claim = claim(owner, maxJobItems);
            if (claim.isPresent()) {
                running.add(claim.get());
                busySince.put(owner, System.nanoTime());
                try {
                    runner.run(claim.get());
                } finally {
                    busySince.remove(owner);
                    running.remove(claim.get());
                }
                continue;
            }
            synchronized (idle) {
                if (wakeups != seen || stopping) {
                    continue;
                }
                waiting.put(Thread.currentThread(), maxJobItems);
            }
            // Woken by submitted() (an unpark that comes before the park is kept), or at the poll interval.
            LockSupport.parkNanos(this, config.pollInterval().toNanos());
            synchronized (idle) {
                waiting.remove(Thread.currentThread());
            }
            if (Thread.interrupted()) {
                return;
            }
        }
    }

    private Optional<Claim> claim(String owner, Integer maxJobItems) {
        try {
            Optional<Claim> claim = runner.claim(owner, maxJobItems);
            if (databaseDown) {
                databaseDown = false;
                LOG.info("Workers reach the database again");
            }
            return claim;
        } catch (RuntimeException e) {
            if (!databaseDown && !stopping) {
                databaseDown = true;
                LOG.warnf("Workers cannot claim work (%s); retrying every %s", e.getMessage(), config.pollInterval());
            }
            return Optional.empty();
        }
    }

    /**
     * What keeps this instance's workers from working: a worker thread that died, or one busy with
     * one chunk for longer than {@code bulklinks.worker.stuck-after}. Empty when all is well.
     */
    List<String> stuck() {
        if (!config.enabled() || stopping) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        for (Thread thread : threads) {
            if (!thread.isAlive()) {
                problems.add(thread.getName() + " has stopped");
            }
        }
        long limit = config.stuckAfter().orElse(config.transactionTimeout().plus(config.lease())).toNanos();
        long now = System.nanoTime();
        busySince.forEach((owner, since) -> {
            if (now - since > limit) {
                problems.add(owner + " has been running one chunk for " + (now - since) / 1_000_000_000 + " s");
            }
        });
        return problems;
    }

    /** This instance's name, as the leases of its chunks carry it. */
    public String instance() {
        return instance;
    }

    /** Worker threads of this instance. */
    public int threadCount() {
        return threads.size();
    }

    /** Workers running a chunk now. */
    public int busyCount() {
        return busySince.size();
    }

    /** Workers waiting for work now: woken by a submission, or at the poll interval. */
    public int waitingCount() {
        synchronized (idle) {
            return waiting.size();
        }
    }

    private void renewLeases() {
        if (running.isEmpty()) {
            return;
        }
        try {
            QuarkusTransaction.requiringNew().call(() -> {
                for (Claim claim : running) {
                    jobs.renew(claim, config.lease());
                }
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warnf("Could not renew leases (%s); chunks may run again elsewhere if this lasts", e.getMessage());
        }
    }

    private static String instanceName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown";
        }
        return host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
