package dev.pyper.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * W2, IO fan-out, and W6, the same with {@code ordered()}: a producer of N Integers → a 20 ms
 * sleep with W workers; wall time against the ideal ⌈N/W⌉ × 20 ms. W6 runs pairs of an unordered
 * and an ordered run and reports the median of their ratios, so that both halves of a ratio see
 * the same machine load.
 *
 * <p>Cases: W = 100 and 1,000 with N = 2,000 on every contender, and W = 10,000 with N = 10,000
 * on the virtual-thread ones only (10,000 platform threads per run are not a sensible design).
 * Targets: W2 within 1.3× of ideal; W6 within 1.15× of unordered.
 */
final class FanOutWorkload implements Workload {

    private static final long SLEEP_MILLIS = 20;

    /** W2's target for Pyper: wall time within this many times the ideal. */
    static final double TARGET = 1.3;

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

    /**
     * @param ordered true for W6, false for W2
     */
    FanOutWorkload(boolean ordered) {
        this.ordered = ordered;
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
                        + "always ordered), in pairs with an unordered run right before; the ratio is the median of the "
                        + "pairs' ratios. Target: within 1.15× of unordered."
                : "Wall time of the whole run against the ideal ⌈N/W⌉ × 20 ms. Target: Pyper within " + TARGET
                        + "× of ideal. "
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
                rows.add(
                        ordered ? orderedRow(bench, c, subject) : unorderedRow(c, subject, measure(bench, c, subject)));
            }
        }
        return rows;
    }

    private Row unorderedRow(Case c, Subject subject, BenchContext.Outcome outcome) {
        if (!outcome.ok()) {
            return Row.notRun(c.label(), subject.name(), outcome.failure());
        }
        double ratio = outcome.sample().median() / c.idealMillis();
        return new Row(
                        c.label(),
                        subject.name(),
                        Format.millis(outcome.sample().median()),
                        outcome.spread(Format::millis),
                        Format.ratio(ratio) + " ideal (" + Format.millis(c.idealMillis()) + ")",
                        subject.isPyper() ? Row.Verdict.of(ratio <= TARGET) : Row.Verdict.NONE)
                .with(Row.Figures.of(outcome.sample(), Row.Figures.MILLIS).against(c.idealMillis()));
    }

    /** W6: pairs of an unordered run and an ordered one, so both halves of each ratio see the same load. */
    private Row orderedRow(BenchContext bench, Case c, Subject subject) {
        List<Double> orderedMillis = new ArrayList<>();
        BenchContext.Outcome outcome = bench.measure("W6", c.label(), subject, () -> {
            double unordered = once(c, subject, false);
            double ordered = once(c, subject, true);
            orderedMillis.add(ordered);
            return ordered / unordered;
        });
        if (!outcome.ok()) {
            return Row.notRun(c.label(), subject.name(), outcome.failure());
        }
        Sample ordered = new Sample(
                orderedMillis.subList(orderedMillis.size() - outcome.sample().size(), orderedMillis.size()).stream()
                        .mapToDouble(Double::doubleValue)
                        .toArray());
        double ratio = outcome.sample().median();
        return new Row(
                        c.label(),
                        subject.name(),
                        Format.millis(ordered.median()),
                        Format.spread(ordered, Format::millis),
                        Format.ratio(ratio) + " unordered (pairs "
                                + Format.ratio(outcome.sample().min()) + " – "
                                + Format.ratio(outcome.sample().max()) + "), "
                                + Format.ratio(ordered.median() / c.idealMillis()) + " ideal",
                        subject.isPyper() ? Row.Verdict.of(ratio <= 1.15) : Row.Verdict.NONE)
                .with(Row.Figures.of(ordered, Row.Figures.MILLIS).against(c.idealMillis()));
    }

    private static BenchContext.Outcome measure(BenchContext bench, Case c, Subject subject) {
        return bench.measure("W2", c.label(), subject, () -> once(c, subject, false));
    }

    /** One run of the case; returns its wall time in milliseconds. */
    private static double once(Case c, Subject subject, boolean ordered) throws Exception {
        long expected = (long) c.items() * (c.items() - 1) / 2;
        long start = System.nanoTime();
        long sum = subject.parallelMap(c.items(), c.workers(), ordered, new Work.Sleep(SLEEP_MILLIS));
        double millis = (System.nanoTime() - start) / 1e6;
        BenchContext.verify(subject, expected, sum);
        return millis;
    }

    private static List<Case> cases(BenchOptions options) {
        return options.quick()
                ? List.of(new Case(200, 100, true), new Case(1_000, 1_000, false))
                : List.of(new Case(2_000, 100, true), new Case(2_000, 1_000, true), new Case(10_000, 10_000, false));
    }
}
