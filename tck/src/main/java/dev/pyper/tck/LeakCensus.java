package dev.pyper.tck;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assertions;

/**
 * The leak checker of rule 4.5: a snapshot of the JVM's live platform threads and child processes,
 * and a bounded wait until the JVM is back to it.
 *
 * <pre>{@code
 * LeakCensus before = LeakCensus.take();
 * try (var executor = new MyExecutor()) { ... runs ... }
 * before.assertNothingLeft();   // fails, naming the threads and processes, if any remain
 * }</pre>
 *
 * <p>Threads that the JDK or the test framework start lazily and keep for the life of the JVM
 * (the process reaper, the common cleaner, the common fork-join pool, JFR, the kit's own
 * watchdog) are not counted. Virtual threads are not visible to
 * {@link Thread#getAllStackTraces()}; an executor of virtual threads is checked through the end of
 * its runs (every run's workers have ended before a pull returns its end) and its {@code close()}.
 */
public final class LeakCensus {

    /** Threads of the kit itself start with this; the census ignores them. */
    public static final String KIT_THREAD_PREFIX = "pyper-tck-";

    private static final List<String> JVM_THREADS = List.of(
            KIT_THREAD_PREFIX,
            "process reaper",
            "Common-Cleaner",
            "ForkJoinPool.commonPool-worker-",
            "Attach Listener",
            "JFR ",
            "junit-",
            "surefire-",
            "Notification Thread",
            "Signal Dispatcher",
            "RMI ",
            "JMX ",
            "Finalizer",
            "Reference Handler",
            "InnocuousThread-",
            "VirtualThread-",
            // the JDK's socket pollers, started the first time a virtual thread waits on a socket, kept for the JVM's
            // life
            "MasterPoller",
            "Read-Poller",
            "Write-Poller",
            // the JVM's one timer of task timeouts (rule 9.4), started by the first task with a timeout, kept for the
            // JVM's life
            "pyper-timeouts");

    /** Threads of infrastructure shared across tests and checked on its own; see {@link #ignoreSharedThreads}. */
    private static final List<Predicate<Thread>> SHARED_INFRASTRUCTURE = new CopyOnWriteArrayList<>();

    private final Set<Thread> threads;
    private final Set<Long> processes;

    private LeakCensus(Set<Thread> threads, Set<Long> processes) {
        this.threads = threads;
        this.processes = processes;
    }

    /**
     * Makes every census ignore the threads of infrastructure that outlives single tests and is
     * checked on its own when it ends: a cluster that a test class starts once and shares between
     * the executors of its tests, say, whose thread pools grow lazily while a test runs. The
     * threads of the runs themselves must stay outside {@code sharedThreads}, so that the leak
     * rule still holds for them.
     *
     * @param sharedThreads accepts the infrastructure's threads
     * @return a handle whose {@code close()} ends the exemption
     */
    public static AutoCloseable ignoreSharedThreads(Predicate<Thread> sharedThreads) {
        SHARED_INFRASTRUCTURE.add(sharedThreads);
        return () -> SHARED_INFRASTRUCTURE.remove(sharedThreads);
    }

    /**
     * Takes the snapshot.
     *
     * @return the live platform threads and descendant processes now
     */
    public static LeakCensus take() {
        return new LeakCensus(Set.copyOf(Thread.getAllStackTraces().keySet()), descendants());
    }

    /**
     * Waits up to {@link Tck#timeout()} until every platform thread and process that was not in
     * the snapshot has ended, and fails the test, naming them with their stacks, if any remain.
     */
    public void assertNothingLeft() {
        long deadline = System.nanoTime() + Tck.timeout().toNanos();
        List<Thread> newThreads;
        Set<Long> newProcesses;
        while (true) {
            newThreads = newThreads();
            newProcesses = newProcesses();
            if (newThreads.isEmpty() && newProcesses.isEmpty()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                break;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        StringBuilder b = new StringBuilder("Rule 4.5: the run or the executor left ");
        b.append(newThreads.size())
                .append(" thread(s) and ")
                .append(newProcesses.size())
                .append(" process(es) behind after ")
                .append(Tck.timeout())
                .append(":\n");
        for (Thread t : newThreads) {
            b.append("  thread \"")
                    .append(t.getName())
                    .append("\" ")
                    .append(t.getState())
                    .append('\n');
            for (StackTraceElement frame : t.getStackTrace()) {
                b.append("      at ").append(frame).append('\n');
            }
        }
        for (long pid : newProcesses) {
            b.append("  process ")
                    .append(pid)
                    .append(' ')
                    .append(ProcessHandle.of(pid)
                            .flatMap(h -> h.info().commandLine())
                            .orElse("?"))
                    .append('\n');
        }
        for (long pid : newProcesses) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // do not let one test's leak fail the next
        }
        Assertions.fail(b.toString());
    }

    /** The platform threads alive now that were not in the snapshot, JVM infrastructure aside. */
    public List<Thread> newThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !threads.contains(t) && t.isAlive() && !isJvmThread(t))
                .collect(Collectors.toList());
    }

    /** The descendant processes alive now that were not in the snapshot. */
    public Set<Long> newProcesses() {
        Set<Long> now = descendants();
        now.removeAll(processes);
        return now;
    }

    /**
     * Waits until the given duration has passed or nothing new is alive, whichever comes first.
     *
     * @param wait the bound
     * @return whether nothing new is alive
     */
    public boolean awaitClean(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!(newThreads().isEmpty() && newProcesses().isEmpty())) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return true;
    }

    private static boolean isJvmThread(Thread t) {
        String name = t.getName();
        return JVM_THREADS.stream().anyMatch(name::startsWith)
                // the virtual-thread scheduler's carriers and its timer, started lazily and kept by the JDK
                || t.getClass().getName().equals("jdk.internal.misc.CarrierThread")
                || t.isDaemon() && name.startsWith("ForkJoinPool-") && name.endsWith("-delayScheduler")
                || SHARED_INFRASTRUCTURE.stream().anyMatch(shared -> shared.test(t));
    }

    private static Set<Long> descendants() {
        return ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }
}
