package dev.pyper.bench;

import static dev.pyper.Task.generator;
import static dev.pyper.Task.multiprocess;
import static dev.pyper.Task.task;
import static dev.pyper.Task.workers;

import dev.pyper.Emitter;
import dev.pyper.Pipeline;
import dev.pyper.threads.ThreadExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * W9, IPC (issue 5 (b)): N small items through a {@code multiprocess} identity task in a threads
 * pipeline, so that every item crosses to a worker JVM and back; items per second, and the same
 * pipeline without {@code multiprocess} for the ratio. Target: ≥ 100,000 items/s with processes.
 * Runs when the {@code threads} contender is chosen; the worker JVM stays warm between runs, so
 * its start is left out of those rows. Issue 5 (c), the time to start a pool of two worker JVMs,
 * is a case of its own: a fresh executor's first run of a two-worker {@code multiprocess} task.
 */
final class IpcWorkload implements Workload {

    private static final double TARGET = 100_000;

    @Override
    public String id() {
        return "W9";
    }

    @Override
    public String title() {
        return "W9 IPC: small items through a multiprocess identity task";
    }

    @Override
    public String description() {
        return "Items per second through `generator(count) | task(identity, multiprocess())` on the `threads` executor "
                + "(each item crosses to a warm worker JVM and back), and through the same pipeline without "
                + "`multiprocess` for the ratio. Target: ≥ 100,000 items/s through the worker process. Then the time to "
                + "start a pool of two worker JVMs: from making a `threads` executor to the end of its first run of "
                + "`generator(count) | task(pid, workers(2), multiprocess())` on 8 items (which must have used two processes); "
                + "no target.";
    }

    @Override
    public List<Row> run(BenchContext bench) {
        List<Row> rows = new ArrayList<>();
        List<Subject> threads = bench.subjects(s -> s.isPyper() && s.name().equals("threads"));
        if (threads.isEmpty()) {
            return rows;
        }
        Subject subject = threads.get(0);
        int n = bench.options().scaled(200_000, 50_000);
        long checksum = (long) n * (n - 1) / 2;
        String caseName = "N=" + n;
        try (ThreadExecutor executor = new ThreadExecutor()) {
            double viaProcess = measure(
                    bench,
                    caseName,
                    subject,
                    "multiprocess identity",
                    true,
                    rows,
                    executor,
                    task(IpcWorkload::identity, multiprocess()),
                    n,
                    checksum);
            double inJvm = measure(
                    bench,
                    caseName,
                    subject,
                    "identity on threads",
                    false,
                    rows,
                    executor,
                    task(IpcWorkload::identity),
                    n,
                    checksum);
            if (!Double.isNaN(viaProcess) && !Double.isNaN(inJvm)) {
                rows.add(new Row(
                                caseName,
                                "ratio",
                                Format.ratio(inJvm / viaProcess),
                                "",
                                "threads over multiprocess, medians of this run",
                                Row.Verdict.NONE)
                        .with(Row.Figures.single(inJvm / viaProcess, Row.Figures.RATIO)));
            }
        }
        rows.add(poolStart(bench, subject));
        return rows;
    }

    /** Issue 5 (c): a fresh executor's first run of a two-worker multiprocess task, which starts two worker JVMs. */
    private static Row poolStart(BenchContext bench, Subject subject) {
        String caseName = "start a pool of 2";
        String name = "threads, multiprocess workers(2)";
        Pipeline<Integer, Long> pipeline =
                Pipeline.of(generator(IpcWorkload::count), task(IpcWorkload::pid, workers(2), multiprocess()));
        BenchContext.Outcome outcome = bench.measure("W9", caseName, subject, () -> {
            long start = System.nanoTime();
            try (ThreadExecutor fresh = new ThreadExecutor()) {
                Set<Long> pids;
                try (Stream<Long> outputs = pipeline.on(fresh).stream(8)) {
                    pids = outputs.collect(Collectors.toSet());
                }
                double millis =
                        (System.nanoTime() - start) / 1e6; // the executor's close, which ends the JVMs, is not counted
                if (pids.size() != 2 || pids.contains(ProcessHandle.current().pid())) {
                    throw new IllegalStateException("the run used worker processes " + pids + ", not two of their own");
                }
                return millis;
            }
        });
        if (!outcome.ok()) {
            return Row.notRun(caseName, name, outcome.failure());
        }
        return new Row(
                        caseName,
                        name,
                        Format.millis(outcome.sample().median()),
                        outcome.spread(Format::millis),
                        "",
                        Row.Verdict.NONE)
                .with(Row.Figures.of(outcome.sample(), Row.Figures.MILLIS));
    }

    private static Integer identity(Integer x) {
        return x;
    }

    private static long pid(Integer ignored) {
        return ProcessHandle.current().pid();
    }

    /** Measures one variant and adds its row; returns its median items per second, or NaN. */
    private static double measure(
            BenchContext bench,
            String caseName,
            Subject subject,
            String variant,
            boolean targeted,
            List<Row> rows,
            ThreadExecutor executor,
            Pipeline<Integer, Integer> identity,
            int n,
            long checksum) {
        Pipeline<Integer, Integer> pipeline =
                Pipeline.of(generator(IpcWorkload::count), identity).on(executor);
        String name = "threads, " + variant;
        BenchContext.Outcome outcome = bench.measure("W9", caseName, subject, () -> {
            long start = System.nanoTime();
            long sum;
            try (Stream<Integer> outputs = pipeline.stream(n)) {
                sum = outputs.mapToLong(Integer::longValue).sum();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            BenchContext.verify(subject, checksum, sum);
            return n / seconds;
        });
        if (!outcome.ok()) {
            rows.add(Row.notRun(caseName, name, outcome.failure()));
            return Double.NaN;
        }
        double median = outcome.sample().median();
        rows.add(new Row(
                        caseName,
                        name,
                        Format.perSecond(median),
                        outcome.spread(Format::perSecond),
                        targeted ? "target ≥ " + Format.perSecond(TARGET) : "",
                        targeted
                                ? (outcome.foreignCores() >= 0.5
                                        ? Row.Verdict.UNJUDGED
                                        : Row.Verdict.of(median >= TARGET))
                                : Row.Verdict.NONE)
                .with(Row.Figures.of(outcome.sample(), Row.Figures.ITEMS_PER_SECOND)));
        return median;
    }

    private static void count(Integer n, Emitter<Integer> out) {
        for (int i = 0; i < n; i++) {
            out.emit(i);
        }
    }
}
