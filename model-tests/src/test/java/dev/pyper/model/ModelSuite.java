package dev.pyper.model;

import dev.pyper.PipelineExecutor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * Runs a series of random cases on one executor under test and collects what went wrong.
 *
 * <p>Each case runs on a driver thread of its own, with a bounded wait: a case that does not end
 * in time is a hang, reported with a full thread dump and its seed, and ends the series. After
 * each case, no thread of the executor may stay busy (rule 4.5; a bounded wait, since a pooled
 * thread renames itself idle just after its worker ends). Every {@value #BATCH} cases the executor
 * is closed, after which none of its threads may be alive and no child process may be left.
 */
final class ModelSuite {

    static final int BATCH = 50;

    /**
     * Quiets the warnings of skipped and dead-lettered inputs (rule 9.5), which flaky cases make
     * on purpose; held here, as the logging system keeps only a weak reference to a logger.
     */
    private static final java.util.logging.Logger SECTION_9_LOG = quiet("dev.pyper.spi.FailurePolicy");

    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long CLOSE_BOUND_SECONDS = 30;

    private final Target target;
    private final ModelSettings settings;
    private final int maxFailures;
    private final List<String> failures = new ArrayList<>();
    private final Map<ModelCase.Consumer, Integer> consumers = new EnumMap<>(ModelCase.Consumer.class);
    private final Map<String, Integer> outcomes = new TreeMap<>();
    private int cases;
    private int faulted;
    private int ordered;
    private int throttleChecked;
    private int flaky;
    private int batched;
    private int timedBatches;
    private int rated;
    private int keyed;
    private int keysWatched;
    private int keysInOrder;
    private int keyedOutputs;
    private long items;

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.SEVERE);
        return logger;
    }

    private ModelSuite(Target target, ModelSettings settings, int maxFailures) {
        this.target = target;
        this.settings = settings;
        this.maxFailures = maxFailures;
    }

    /** What a series found. */
    record Report(String summary, List<String> failures) {}

    /**
     * Runs {@code settings.tries()} cases, starting with {@code settings.seed()}, stopping early
     * after {@code maxFailures} failures or at the first hang.
     */
    static Report run(Target target, ModelSettings settings, int maxFailures) {
        return new ModelSuite(target, settings, maxFailures).run();
    }

    private Report run() {
        long started = System.nanoTime();
        int together = target.concurrentRuns();
        ExecutorService drivers = Executors.newFixedThreadPool(together, r -> {
            Thread t = new Thread(r, "model-case-driver");
            t.setDaemon(true);
            return t;
        });
        PipelineExecutor executor = null;
        long seed = settings.seed();
        long batchSeed = seed;
        int inBatch = 0;
        try {
            int i = 0;
            int runs = settings.tries() * settings.repeat();
            while (i < runs && failures.size() < maxFailures) {
                if (executor == null) {
                    executor = target.executors().get();
                    batchSeed = seed;
                    inBatch = 0;
                }
                List<ModelCase> group = new ArrayList<>();
                for (int j = 0; j < together && i < runs; j++, i++) {
                    ModelCase c = CaseGenerator.generate(seed, target.capabilities());
                    count(c);
                    group.add(c);
                    if ((i + 1) % settings.repeat() == 0) {
                        seed = CaseGenerator.nextSeed(seed);
                    }
                }
                if (!runGroup(drivers, executor, group)) {
                    closeInBackground(executor);
                    executor = null;
                    break;
                }
                inBatch += group.size();
                if (inBatch >= BATCH || i == runs) {
                    closeAndCheck(executor, batchSeed);
                    executor = null;
                }
            }
        } finally {
            if (executor != null) {
                closeAndCheck(executor, batchSeed);
            }
            drivers.shutdownNow();
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        String summary = String.format(
                "model[%s]: %d cases from seed %d in %.1f s, %d failure(s); consumers %s; outcomes %s; "
                        + "%d with faults that fire, %d with order promised, %d with a throttle checked, %d with a flaky task (section 9), "
                        + "%d with a batch (%d with a maxWait that may cut lists early), %d with a rate (section 10), "
                        + "%d with byKey (%d watched, %d watched in input order, %d with the outputs checked per key), "
                        + "%d outputs expected in all",
                target.name(),
                cases,
                settings.seed(),
                millis / 1000.0,
                failures.size(),
                consumers,
                outcomes,
                faulted,
                ordered,
                throttleChecked,
                flaky,
                batched,
                timedBatches,
                rated,
                keyed,
                keysWatched,
                keysInOrder,
                keyedOutputs,
                items);
        return new Report(summary, List.copyOf(failures));
    }

    private void count(ModelCase c) {
        cases++;
        consumers.merge(c.consumer(), 1, Integer::sum);
        faulted += c.faults().isEmpty() ? 0 : 1;
        ordered += c.expected().ordered() ? 1 : 0;
        items += c.expected().outputs().size();
        throttleChecked += Arrays.stream(c.leadBounds()).anyMatch(b -> b > 0) ? 1 : 0;
        flaky += c.stages().stream().anyMatch(s -> s.flaky() != null) ? 1 : 0;
        List<StageShape> all = FlowCheck.all(c.stages());
        batched += all.stream().anyMatch(s -> s.function() instanceof ListFunctions.Batch) ? 1 : 0;
        timedBatches += all.stream().anyMatch(s -> s.function() instanceof ListFunctions.Batch b && b.timed()) ? 1 : 0;
        rated += all.stream().anyMatch(s -> s.rate() != null) ? 1 : 0;
        keyed += all.stream().anyMatch(s -> s.key() != null) ? 1 : 0;
        keysWatched += c.stages().stream().anyMatch(s -> s.keyWatch() != null) ? 1 : 0;
        keysInOrder += c.stages().stream()
                        .anyMatch(s -> s.keyWatch() != null && s.keyWatch().order() != null)
                ? 1
                : 0;
        keyedOutputs += new KeyCheck(c).checksOutputs() ? 1 : 0;
    }

    /**
     * Runs a group of cases at the same time on the executor, each on its own driver thread, with
     * a bounded wait; false on a hang, after which the series stops.
     */
    private boolean runGroup(ExecutorService drivers, PipelineExecutor executor, List<ModelCase> group) {
        List<Future<String>> outcomes = new ArrayList<>();
        for (ModelCase c : group) {
            outcomes.add(drivers.submit(() -> new CaseRunner(c, executor).run()));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.caseTimeoutSeconds());
        for (int j = 0; j < group.size(); j++) {
            ModelCase c = group.get(j);
            try {
                this.outcomes.merge(
                        outcomes.get(j).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS),
                        1,
                        Integer::sum);
            } catch (ExecutionException e) {
                failures.add(report(c, group, e.getCause().getMessage(), e.getCause()));
            } catch (TimeoutException e) {
                failures.add(report(
                                c,
                                group,
                                "HANG: the case did not end within " + settings.caseTimeoutSeconds() + " s",
                                null)
                        + "Thread dump:\n" + ThreadDump.now());
                outcomes.forEach(f -> f.cancel(true));
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running the model suite", e);
            }
        }
        String busy = awaitNoBusyThread();
        if (busy != null) {
            failures.add(report(
                    group.get(0),
                    group,
                    "Thread(s) of the executor still busy 5 s after the run ended (rule 4.5): " + busy,
                    null));
        }
        return true;
    }

    /** Null once no thread named {@code pyper-…} is busy; else, after the bounded wait, their names. */
    private String awaitNoBusyThread() {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        while (true) {
            List<String> busy =
                    pyperThreads().stream().filter(name -> !target.idle(name)).toList();
            if (busy.isEmpty()) {
                return null;
            }
            if (System.nanoTime() - deadline >= 0) {
                return busy.toString();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private static List<String> pyperThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("pyper-"))
                .filter(name ->
                        !name.equals("pyper-timeouts")) // the JVM's one timer of rule 9.7, kept for the JVM's life
                .sorted()
                .collect(Collectors.toList());
    }

    /** Closes the executor with a bounded wait; then none of its threads and no child process may be left (rule 4.5). */
    private void closeAndCheck(PipelineExecutor executor, long batchSeed) {
        String where = "after close() of the executor that ran the batch of cases from seed " + batchSeed;
        Thread closer = closeInBackground(executor);
        try {
            closer.join(TimeUnit.SECONDS.toMillis(CLOSE_BOUND_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (closer.isAlive()) {
            failures.add("close() did not return within " + CLOSE_BOUND_SECONDS + " s, " + where + ". Thread dump:\n"
                    + ThreadDump.now());
            return;
        }
        long deadline = System.nanoTime() + SETTLE_NANOS;
        while (true) {
            List<String> left = pyperThreads();
            long children = ProcessHandle.current()
                    .children()
                    .filter(ProcessHandle::isAlive)
                    .count();
            if (left.isEmpty() && children == 0) {
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                failures.add("Left behind " + where + " (rule 4.5): threads " + left + ", child processes " + children);
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private static Thread closeInBackground(PipelineExecutor executor) {
        Thread closer = new Thread(executor::close, "model-executor-closer");
        closer.setDaemon(true);
        closer.start();
        return closer;
    }

    private String report(ModelCase c, List<ModelCase> group, String what, Throwable cause) {
        StringBuilder s = new StringBuilder();
        s.append("Case with seed ")
                .append(c.seed())
                .append(" on ")
                .append(target.name())
                .append(" failed: ")
                .append(what)
                .append('\n');
        if (group.size() > 1) {
            s.append("  (ran at the same time as the other cases of its group; replay the group: -Dpyper.model.seed=")
                    .append(group.get(0).seed())
                    .append(" -Dpyper.model.tries=")
                    .append(group.size())
                    .append(")\n");
        }
        s.append(c.describe());
        if (cause != null) {
            StringWriter trace = new StringWriter();
            cause.printStackTrace(new PrintWriter(trace));
            s.append(trace);
        }
        return s.toString();
    }
}
