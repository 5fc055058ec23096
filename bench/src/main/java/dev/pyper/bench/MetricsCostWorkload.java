package dev.pyper.bench;

import java.util.List;

/**
 * W10, what the run metrics cost (issue 9): W1's hand-off on {@code threads}, the fastest
 * hand-off there is, so the per-call counting weighs most there. Child JVMs ({@link HandOffChild})
 * alternate between the default (metrics on) and {@code -Dpyper.metrics.calls=false}, which drops
 * the per-call counters, the busy flags and the timing at JIT time; the two sides run the same
 * bytecode otherwise ({@link JvmComparison}). Target: the slowdown with metrics on stays below 5 %,
 * its upper 95 % bound included.
 */
final class MetricsCostWorkload implements Workload {

    private static final double TARGET = 0.05;
    private static final String OFF = "-Dpyper.metrics.calls=false";

    @Override
    public String id() {
        return "W10";
    }

    @Override
    public String title() {
        return "W10 metrics cost: W1 on threads, metrics on against metrics off";
    }

    @Override
    public String description() {
        return "W1's hand-off (1M items, three one-worker stages) on `threads` in alternating child JVMs: the default "
                + "(metrics on) and `" + OFF + "` (per-call counters, busy flags and timing dropped by the JIT). Each "
                + "side's figure is the mean over its JVMs of each JVM's mean rate; the slowdown is given with its 95 % "
                + "interval. Target (issue 9): slowdown below 5 %, upper bound included.";
    }

    @Override
    public List<Row> run(BenchContext bench) throws Exception {
        if (!bench.options().includes("threads")) {
            return List.of();
        }
        BenchOptions options = bench.options();
        int items = options.scaled(1_000_000, 100_000);
        int jvms = options.quick() ? 2 : 20;
        int runs = Math.max(options.runs(), options.quick() ? 3 : 15);
        String caseName = "N=" + items + ", " + jvms + " JVMs × " + runs + " runs";
        JvmComparison.Side on = new JvmComparison.Side("on", List.of(), "plain");
        JvmComparison.Side off = new JvmComparison.Side("off", List.of(OFF), "plain");
        List<JvmComparison.Measured> measured =
                JvmComparison.run(bench, id(), List.of(on, off), items, jvms, runs, Math.max(options.warmups(), 3));
        if (measured == null) {
            return List.of(Row.notRun(caseName, "threads", "a child JVM failed; see the log"));
        }
        JvmComparison.Measured metricsOn = measured.get(0);
        JvmComparison.Measured metricsOff = measured.get(1);
        double[] slowdown = metricsOn.slowdownAgainst(metricsOff);
        return List.of(
                JvmComparison.row(
                        caseName + ", metrics on",
                        metricsOn,
                        metricsOn.slowdownText(metricsOff),
                        Row.Verdict.of(slowdown[0] + slowdown[1] < TARGET)),
                JvmComparison.row(
                        caseName + ", " + OFF,
                        metricsOff,
                        "mean of JVM means " + Format.perSecond(metricsOff.mean()),
                        Row.Verdict.NONE));
    }
}
