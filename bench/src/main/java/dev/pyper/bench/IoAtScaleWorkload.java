package dev.pyper.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * W8, the virtual-thread issue's benchmark: N = 10,000 items, each sleeping 20 ms, through one
 * task with {@code workers(W)}: on {@code virtual} for W = 100, 1,000 and 10,000, on
 * {@code threads} for W = 100 and 1,000. Wall time against the ideal ⌈N/W⌉ × 20 ms, and the
 * peak resident set of the case's JVM: each case runs in a child JVM of its own
 * ({@link ScaleChild}), next to plain-JDK baselines of the same concurrency measured the same way
 * right after it. Short cases get enough warm-up runs (up to 50, three seconds' worth) that the JIT has
 * compiled the engine before they are measured. Target: within 1.3× of ideal at W = 10,000 on {@code virtual} and at W = 1,000
 * on {@code threads}.
 */
final class IoAtScaleWorkload implements Workload {

    private static final int ITEMS = 10_000;
    private static final long SLEEP_MILLIS = 20;
    static final double TARGET = 1.3;
    private static final long TIMEOUT_SECONDS = 300;
    private static final List<String> VIRTUAL_BASELINES = List.of("jdk-virtual", "jdk-virtual-queue");

    /** One case: an executor, its workers, the JDK baselines for it, and whether the target applies. */
    private record Case(String executor, int workers, List<String> baselines, boolean judged) {
        String label() {
            return "W=" + workers + ", N=" + ITEMS;
        }

        double idealMillis() {
            return Math.ceil((double) ITEMS / workers) * SLEEP_MILLIS;
        }
    }

    @Override
    public String id() {
        return "W8";
    }

    @Override
    public String title() {
        return "W8 IO at scale: 10,000 items × 20 ms sleep, W workers, a JVM per case";
    }

    @Override
    public String description() {
        return "Wall time against the ideal ⌈N/W⌉ × 20 ms, and the peak RSS of the case's own JVM. Baselines: "
                + "`jdk-virtual` (a virtual thread per item, at most W at once by a semaphore), `jdk-virtual-queue` (the "
                + "same started by a producer thread, its outputs passed to the caller through a `LinkedBlockingQueue`, "
                + "as a pipeline does) and `jdk-pool` (a fixed pool of W platform threads, started once). Target: within 1.3× of ideal at W = 10,000 on "
                + "`virtual` and at W = 1,000 on `threads`.";
    }

    @Override
    public List<Row> run(BenchContext bench) throws Exception {
        List<Case> cases = List.of(
                new Case("virtual", 100, VIRTUAL_BASELINES, false),
                new Case("virtual", 1_000, VIRTUAL_BASELINES, false),
                new Case("virtual", 10_000, VIRTUAL_BASELINES, true),
                new Case("threads", 100, List.of("jdk-pool"), false),
                new Case("threads", 1_000, List.of("jdk-pool"), true));
        List<Row> rows = new ArrayList<>();
        for (Case c : cases) {
            if (bench.options().includes(c.executor())) {
                rows.add(measure(bench, c, c.executor(), c.judged()));
                for (String baseline : c.baselines()) {
                    rows.add(measure(bench, c, baseline, false));
                }
            }
        }
        return rows;
    }

    private Row measure(BenchContext bench, Case c, String contender, boolean judged) throws Exception {
        bench.log().printf("W8 %-22s %-16s ", c.label(), contender);
        bench.log().flush();
        // A fresh JVM per case: short cases get the warm-up (and runs) that a long-lived service would have had
        boolean shortCase = c.idealMillis() < 500;
        int warmups = Math.max(bench.options().warmups(), (int) Math.min(50, 3000 / c.idealMillis()));
        int runs = shortCase
                ? Math.max(bench.options().runs(), 9)
                : bench.options().runs();
        ChildJvm.Ending ending = ChildJvm.run(
                ScaleChild.class,
                "1g",
                TIMEOUT_SECONDS,
                contender,
                String.valueOf(c.workers()),
                String.valueOf(ITEMS),
                String.valueOf(SLEEP_MILLIS),
                String.valueOf(runs),
                String.valueOf(warmups));
        if (!(ending instanceof ChildJvm.Completed done)) {
            bench.log().println("FAILED: " + ending);
            return Row.notRun(c.label(), contender, ending.toString());
        }
        Sample sample = new Sample(Arrays.stream(done.rest().split(","))
                .mapToDouble(Double::parseDouble)
                .toArray());
        double ratio = sample.median() / c.idealMillis();
        bench.log()
                .printf(
                        "median %.1f ms, ×%.2f ideal, peak RSS %d MiB%n",
                        sample.median(), ratio, done.peakRssKiB() / 1024);
        return new Row(
                        c.label(),
                        contender,
                        Format.millis(sample.median()),
                        Format.spread(sample, Format::millis),
                        Format.ratio(ratio) + " ideal (" + Format.millis(c.idealMillis()) + "), peak RSS "
                                + Format.mebibytes(done.peakRssKiB() / 1024.0),
                        judged ? Row.Verdict.of(ratio <= TARGET) : Row.Verdict.NONE)
                .with(Row.Figures.of(sample, Row.Figures.MILLIS).against(c.idealMillis()));
    }
}
