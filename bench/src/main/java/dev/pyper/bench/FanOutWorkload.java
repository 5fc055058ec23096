package dev.pyper.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * W2, IO fan-out, and W6, the same with {@code ordered()}: a producer of N Integers → a 20 ms
 * sleep with W workers; wall time against the ideal ⌈N/W⌉ × 20 ms. W6 divides each ordered time
 * by the same contender's unordered one, which the two workloads share (measured once).
 *
 * <p>Cases: W = 100 and 1,000 with N = 2,000 on every contender, and W = 10,000 with N = 10,000
 * on the virtual-thread ones only (10,000 platform threads per run are not a sensible design).
 * Targets: W2 within 1.3× of ideal; W6 within 1.15× of unordered.
 */
final class FanOutWorkload implements Workload {

    private static final long SLEEP_MILLIS = 20;

    /** One case: N items, W workers, and whether platform-thread contenders run it. */
    private record Case(int items, int workers, boolean platformToo) {
        String label() {
            return "W=" + workers + ", N=" + items;
        }

        double idealMillis() {
            return Math.ceil((double) items / workers) * SLEEP_MILLIS;
        }
    }

    private final boolean ordered;
    private final Map<String, BenchContext.Outcome> unorderedRuns;

    private FanOutWorkload(boolean ordered, Map<String, BenchContext.Outcome> unorderedRuns) {
        this.ordered = ordered;
        this.unorderedRuns = unorderedRuns;
    }

    /**
     * W2 and W6, sharing their unordered measurements.
     *
     * @return W2 then W6
     */
    static List<Workload> pair() {
        Map<String, BenchContext.Outcome> shared = new HashMap<>();
        return List.of(new FanOutWorkload(false, shared), new FanOutWorkload(true, shared));
    }

    @Override
    public String id() {
        return ordered ? "W6" : "W2";
    }

    @Override
    public String title() {
        return ordered ? "W6 ordered: W2 with `ordered()`" : "W2 IO fan-out: N items × 20 ms sleep, W workers";
    }

    @Override
    public String description() {
        return ordered
                ? "Wall time with input order kept (Pyper `ordered()`, Reactor `flatMapSequential`; `mapConcurrent` is "
                        + "always ordered). Target: within 1.15× of the same contender's unordered W2 time."
                : "Wall time of the whole run against the ideal ⌈N/W⌉ × 20 ms. Target: Pyper within 1.3× of ideal. "
                        + "`mapConcurrent` keeps input order (it has no unordered mode); `reactor-elastic` is capped at "
                        + "its 10 threads per core.";
    }

    @Override
    public List<Row> run(BenchContext bench) {
        List<Row> rows = new ArrayList<>();
        for (Case c : cases(bench.options())) {
            for (Subject subject : bench.subjects(s -> c.platformToo() || s.virtualThreads())) {
                String declined = subject.declines(id(), c.workers());
                if (declined != null) {
                    rows.add(Row.notRun(c.label(), subject.name(), declined));
                    continue;
                }
                BenchContext.Outcome unordered = unorderedRuns.computeIfAbsent(subject.name() + "|" + c.label(),
                        key -> measure(bench, c, subject, false));
                rows.add(ordered ? orderedRow(bench, c, subject, unordered) : unorderedRow(c, subject, unordered));
            }
        }
        return rows;
    }

    private Row unorderedRow(Case c, Subject subject, BenchContext.Outcome outcome) {
        if (!outcome.ok()) {
            return Row.notRun(c.label(), subject.name(), outcome.failure());
        }
        double ratio = outcome.sample().median() / c.idealMillis();
        return new Row(c.label(), subject.name(), Format.millis(outcome.sample().median()),
                outcome.spread(Format::millis),
                Format.ratio(ratio) + " ideal (" + Format.millis(c.idealMillis()) + ")",
                subject.isPyper() ? Row.Verdict.of(ratio <= 1.3) : Row.Verdict.NONE);
    }

    private Row orderedRow(BenchContext bench, Case c, Subject subject, BenchContext.Outcome unordered) {
        BenchContext.Outcome outcome = measure(bench, c, subject, true);
        if (!outcome.ok()) {
            return Row.notRun(c.label(), subject.name(), outcome.failure());
        }
        double median = outcome.sample().median();
        String ideal = Format.ratio(median / c.idealMillis()) + " ideal";
        if (!unordered.ok()) {
            return new Row(c.label(), subject.name(), Format.millis(median), outcome.spread(Format::millis),
                    ideal, Row.Verdict.NONE);
        }
        double ratio = median / unordered.sample().median();
        return new Row(c.label(), subject.name(), Format.millis(median), outcome.spread(Format::millis),
                Format.ratio(ratio) + " unordered, " + ideal,
                subject.isPyper() ? Row.Verdict.of(ratio <= 1.15) : Row.Verdict.NONE);
    }

    private static BenchContext.Outcome measure(BenchContext bench, Case c, Subject subject, boolean ordered) {
        long expected = (long) c.items() * (c.items() - 1) / 2;
        Work sleep = new Work.Sleep(SLEEP_MILLIS);
        return bench.measure(ordered ? "W6" : "W2", c.label(), subject, () -> {
            long start = System.nanoTime();
            long sum = subject.parallelMap(c.items(), c.workers(), ordered, sleep);
            double millis = (System.nanoTime() - start) / 1e6;
            BenchContext.verify(subject, expected, sum);
            return millis;
        });
    }

    private static List<Case> cases(BenchOptions options) {
        return options.quick()
                ? List.of(new Case(200, 100, true), new Case(1_000, 1_000, false))
                : List.of(new Case(2_000, 100, true), new Case(2_000, 1_000, true), new Case(10_000, 10_000, false));
    }
}
