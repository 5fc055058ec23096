package dev.pyper.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * How much CPU the rest of the machine uses, so that a benchmark shares a busy machine honestly:
 * each case first waits a bounded time for the machine to be quiet, and the report flags a case
 * during which other processes were busy.
 *
 * <p>Foreign CPU = all busy CPU time ({@code /proc/stat}, in clock ticks of 10 ms) minus this
 * JVM's own CPU time (and its children's), over the wall time between two snapshots, in cores. Off Linux it is
 * unknown (NaN) and nothing waits.
 */
final class MachineLoad {

    /** Other processes may use this many cores before a case waits. */
    static final double QUIET_CORES = 0.3;

    /** After this many waits in a row that ended busy, the next ones only look (see {@link #awaitQuiet}). */
    private static final int GIVE_UP_AFTER = 3;

    private static final AtomicInteger fruitlessWaits = new AtomicInteger();
    private static final Path STAT = Path.of("/proc/stat");
    private static final double NANOS_PER_TICK = 10_000_000;

    /** The counters at one moment. */
    record Snapshot(long busyTicks, long ownCpuNanos, long wallNanos) {}

    private MachineLoad() {}

    /**
     * The counters now; {@code busyTicks} is -1 where {@code /proc/stat} cannot be read. Own CPU
     * includes this JVM's live child processes (the process executor's workers); a child that
     * ended between two snapshots is missed, so its time shows as foreign.
     */
    static Snapshot now() {
        long own = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : 0;
        own += ProcessHandle.current()
                .descendants()
                .mapToLong(
                        p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
                .sum();
        return new Snapshot(busyTicks(), own, System.nanoTime());
    }

    /** Cores used by other processes between two snapshots, or NaN if unknown. */
    static double foreignCores(Snapshot from, Snapshot to) {
        if (from.busyTicks() < 0 || to.busyTicks() < 0 || to.wallNanos() <= from.wallNanos()) {
            return Double.NaN;
        }
        double busy = (to.busyTicks() - from.busyTicks()) * NANOS_PER_TICK;
        double own = to.ownCpuNanos() - from.ownCpuNanos();
        return Math.max(0, (busy - own) / (to.wallNanos() - from.wallNanos()));
    }

    /**
     * Waits until other processes use fewer than {@link #QUIET_CORES} cores over half a second,
     * or {@code maxSeconds} have passed. After {@value #GIVE_UP_AFTER} waits in a row that ended
     * busy it only looks for half a second, until it sees a quiet machine again: waiting on a
     * machine that stays busy would only make the run longer.
     *
     * @param maxSeconds the longest wait; 0 to look at nothing and return NaN
     * @return the foreign cores of the last half second looked at (NaN if unknown)
     */
    static double awaitQuiet(long maxSeconds) {
        if (maxSeconds <= 0) {
            return Double.NaN;
        }
        long wait = fruitlessWaits.get() >= GIVE_UP_AFTER ? 0 : TimeUnit.SECONDS.toNanos(maxSeconds);
        long deadline = System.nanoTime() + wait;
        double foreign;
        do {
            Snapshot from = now();
            long until = from.wallNanos() + TimeUnit.MILLISECONDS.toNanos(500);
            for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime()) {
                LockSupport.parkNanos(left); // may return early: a shorter window would overstate foreign load
            }
            foreign = foreignCores(from, now());
        } while (foreign >= QUIET_CORES
                && System.nanoTime() < deadline
                && !Thread.currentThread().isInterrupted());
        if (foreign >= QUIET_CORES) {
            fruitlessWaits.incrementAndGet();
        } else {
            fruitlessWaits.set(0);
        }
        return foreign;
    }

    private static long busyTicks() {
        try {
            String[] f = Files.readAllLines(STAT).get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
