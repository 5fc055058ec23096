package dev.pyper.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * W10, what the run metrics cost (issue 9): W1's hand-off on {@code threads}, the fastest
 * hand-off there is, so the per-call counting weighs most there. Child JVMs ({@link MetricsCostChild})
 * alternate between the default (metrics on) and {@code -Dpyper.metrics.calls=false}, which drops
 * the per-call counters, the busy flags and the timing at JIT time; the two sides run the same
 * bytecode otherwise. The hand-off is bimodal on a small machine (thread placement decides
 * whether a stage waits per item or finds a batch), so a side's figure is the mean over many JVMs
 * of each JVM's mean, and the report gives the difference with its 95 % interval. Target: the
 * slowdown with metrics on stays below 5 %, its upper 95 % bound included.
 */
final class MetricsCostWorkload implements Workload {

    private static final double TARGET = 0.05;
    private static final long TIMEOUT_SECONDS = 300;
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
        int warmups = Math.max(options.warmups(), 3);
        String caseName = "N=" + items + ", " + jvms + " JVMs × " + runs + " runs";
        double[] onMeans = new double[jvms];
        double[] offMeans = new double[jvms];
        List<Double> onRates = new ArrayList<>();
        List<Double> offRates = new ArrayList<>();
        for (int i = 0; i < jvms; i++) {
            // alternate which side goes first, so that neither always follows the other
            for (boolean on : i % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                MachineLoad.awaitQuiet(options.quietWaitSeconds());
                ChildJvm.Ending ending = ChildJvm.run(MetricsCostChild.class, "2g", on ? List.of() : List.of(OFF), TIMEOUT_SECONDS,
                        "threads", String.valueOf(items), String.valueOf(runs), String.valueOf(warmups));
                if (!(ending instanceof ChildJvm.Completed done)) {
                    bench.log().println("W10 FAILED: " + ending);
                    return List.of(Row.notRun(caseName, "threads", ending.toString()));
                }
                double[] rates = Arrays.stream(done.rest().strip().split(",")).mapToDouble(Double::parseDouble).toArray();
                (on ? onMeans : offMeans)[i] = Arrays.stream(rates).average().orElseThrow();
                for (double r : rates) {
                    (on ? onRates : offRates).add(r);
                }
            }
            bench.log().printf("W10 JVM pair %d/%d: on %.2f M/s, off %.2f M/s%n", i + 1, jvms, onMeans[i] / 1e6, offMeans[i] / 1e6);
        }
        double on = mean(onMeans);
        double off = mean(offMeans);
        double slowdown = 1 - on / off;
        double halfWidth = 1.96 * Math.sqrt(variance(onMeans) / jvms + variance(offMeans) / jvms) / off;
        String difference = String.format(Locale.ROOT, "mean of JVM means %s; slowdown %+.1f %% ± %.1f %% (95 %%)",
                Format.perSecond(on), 100 * slowdown, 100 * halfWidth);
        bench.log().println("W10 " + difference);
        Sample onSample = new Sample(onRates.stream().mapToDouble(Double::doubleValue).toArray());
        Sample offSample = new Sample(offRates.stream().mapToDouble(Double::doubleValue).toArray());
        return List.of(
                new Row(caseName + ", metrics on", "threads", Format.perSecond(onSample.median()),
                        Format.spread(onSample, Format::perSecond), difference, Row.Verdict.of(slowdown + halfWidth < TARGET))
                        .with(Row.Figures.of(onSample, Row.Figures.ITEMS_PER_SECOND)),
                new Row(caseName + ", " + OFF, "threads", Format.perSecond(offSample.median()),
                        Format.spread(offSample, Format::perSecond), "mean of JVM means " + Format.perSecond(off), Row.Verdict.NONE)
                        .with(Row.Figures.of(offSample, Row.Figures.ITEMS_PER_SECOND)));
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    private static double variance(double[] values) {
        double m = mean(values);
        return values.length < 2 ? 0 : Arrays.stream(values).map(v -> (v - m) * (v - m)).sum() / (values.length - 1);
    }
}
