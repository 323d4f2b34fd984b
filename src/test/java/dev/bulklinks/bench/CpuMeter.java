package dev.bulklinks.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time used by the database server and by the service, read from Linux's {@code /proc}: wall time
 * on a shared 2-core machine moves with whatever else runs, the CPU a piece of work takes much less.
 * The database's is that of its whole process tree (the postmaster, every live backend, and the
 * backends that exited, which the postmaster's own children's time counts); the service's is its JVM's.
 * On a system without {@code /proc} every reading is NaN.
 */
final class CpuMeter {

    /** Clock ticks a second of {@code /proc/<pid>/stat}: 100 on every Linux this runs on (USER_HZ). */
    private static final double TICKS = 100;

    private final long postmaster;
    private final long service;

    private CpuMeter(long postmaster, long service) {
        this.postmaster = postmaster;
        this.service = service;
    }

    /** Meters the server {@code sql} is connected to (it must run on this machine) and the service process. */
    static CpuMeter of(Connection sql, long servicePid) throws SQLException {
        long backend;
        try (Statement s = sql.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            backend = rs.getLong(1);
        }
        long[] stat = stat(backend);
        return new CpuMeter(stat == null ? -1 : stat[0], servicePid);
    }

    /** The same database, and the service now running as process {@code servicePid}. */
    CpuMeter withService(long servicePid) {
        return new CpuMeter(postmaster, servicePid);
    }

    /** CPU seconds used so far by the database and by the service. */
    Reading read() {
        long[] jvm = stat(service);
        return new Reading(databaseParts(), jvm == null ? Double.NaN : jvm[1] / TICKS);
    }

    /**
     * The database's CPU seconds so far by kind of process, from its command line ("postgres:
     * autovacuum worker", "postgres: checkpointer", ...; every backend serving a client is "backends"),
     * and "exited" for the processes that ended (their time is the postmaster's children's: mostly
     * autovacuum workers and backends whose connection closed). Empty when unreadable.
     */
    private Map<String, Double> databaseParts() {
        Map<String, Double> parts = new TreeMap<>();
        long[] main = stat(postmaster);
        if (main == null) {
            return parts;
        }
        parts.put("postmaster", main[1] / TICKS);
        parts.put("exited", main[2] / TICKS);
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                long pid = Long.parseLong(p.getFileName().toString());
                long[] child = stat(pid);
                if (child != null && child[0] == postmaster) {
                    parts.merge(kind(pid), child[1] / TICKS, Double::sum);
                }
            });
        } catch (IOException e) {
            parts.clear();
        }
        return parts;
    }

    /** A PostgreSQL process's kind, from the title it sets on its command line. */
    private static String kind(long pid) {
        try {
            String title = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ').trim();
            // "postgres: checkpointer", or with a cluster name (Debian's): "postgres: 15/main: checkpointer".
            String role = title.replaceFirst("^postgres: (\\S+/\\S+: )?", "");
            for (String known : List.of("autovacuum", "checkpointer", "background writer", "walwriter", "logical",
                    "stats", "archiver", "io worker")) {
                if (role.startsWith(known)) {
                    return known;
                }
            }
            return "backends";
        } catch (IOException | RuntimeException e) {
            return "backends";
        }
    }

    /** CPU seconds used so far: by the database, by kind of process, and by the service. */
    record Reading(Map<String, Double> databaseParts, double service) {

        /** What was used from {@code earlier} to this reading (a kind of process gone since counts as 0 now). */
        Reading since(Reading earlier) {
            Map<String, Double> parts = new TreeMap<>();
            earlier.databaseParts.keySet().forEach(kind -> parts.put(kind, -earlier.databaseParts.get(kind)));
            databaseParts.forEach((kind, seconds) -> parts.merge(kind, seconds, Double::sum));
            return new Reading(parts, service - earlier.service);
        }

        /** The database's CPU seconds: its parts together; NaN when unreadable. */
        double database() {
            return databaseParts.isEmpty() ? Double.NaN
                    : databaseParts.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        /** The database's part by kind of process, as "backends 14.1, autovacuum 0.9, ...". */
        String parts() {
            StringBuilder text = new StringBuilder();
            databaseParts.entrySet().stream().filter(e -> e.getValue() >= 0.05)
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .forEach(e -> text.append(text.isEmpty() ? "" : ", ")
                            .append(String.format(java.util.Locale.ROOT, "%s %.1f", e.getKey(), e.getValue())));
            return text.toString();
        }

        double total() {
            return database() + service;
        }
    }

    /**
     * Of process {@code pid}: its parent, its own user+system ticks, and its reaped children's; null
     * when it is gone or unreadable. Fields after the command's closing parenthesis, 1-based as in
     * proc(5): 4 ppid, 14 utime, 15 stime, 16 cutime, 17 cstime.
     */
    private static long[] stat(long pid) {
        if (pid <= 0) {
            return null;
        }
        try {
            String text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state): field n is f[n - 3].
            return new long[] {Long.parseLong(f[1]), Long.parseLong(f[11]) + Long.parseLong(f[12]),
                    Long.parseLong(f[13]) + Long.parseLong(f[14])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
