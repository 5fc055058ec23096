package dev.pyper.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The A/B method of W10 and W11: W1's hand-off ({@link HandOffChild}) in child JVMs that differ in
 * one setting, a baseline side and one or more others, started in turns (each round rotates which
 * side goes first, so that none always follows another). The hand-off is bimodal on a small
 * machine (thread placement decides whether a stage waits per item or finds a batch), so a side's
 * figure is the mean over many JVMs of each JVM's mean, and each other side's cost is its slowdown
 * against the baseline with a 95 % interval.
 */
final class JvmComparison {

    private static final long TIMEOUT_SECONDS = 300;

    /**
     * One side of the comparison.
     *
     * @param label how its row names it
     * @param jvmOptions its child JVMs' options
     * @param mode the child's {@link HandOffChild} mode
     */
    record Side(String label, List<String> jvmOptions, String mode) {}

    /**
     * One side's result.
     *
     * @param side the side
     * @param jvmMeans each JVM's mean rate, in items per second
     * @param rates every measured run's rate
     */
    @SuppressWarnings("ArrayRecordComponent") // the harness's own values, never compared or shared
    record Measured(Side side, double[] jvmMeans, double[] rates) {

        double mean() {
            return JvmComparison.mean(jvmMeans);
        }

        /** The slowdown against {@code baseline} (positive when slower) and its 95 % half-width. */
        double[] slowdownAgainst(Measured baseline) {
            double off = baseline.mean();
            double slowdown = 1 - mean() / off;
            double halfWidth = 1.96
                    * Math.sqrt(variance(jvmMeans) / jvmMeans.length
                            + variance(baseline.jvmMeans) / baseline.jvmMeans.length)
                    / off;
            return new double[] {slowdown, halfWidth};
        }

        String slowdownText(Measured baseline) {
            double[] s = slowdownAgainst(baseline);
            return String.format(
                    Locale.ROOT,
                    "mean of JVM means %s; slowdown %+.1f %% ± %.1f %% (95 %%)",
                    Format.perSecond(mean()),
                    100 * s[0],
                    100 * s[1]);
        }

        Sample sample() {
            return new Sample(rates);
        }
    }

    private JvmComparison() {}

    /**
     * Runs {@code jvms} rounds of one child JVM per side.
     *
     * @return one result per side, in the order given; or null if a child failed (logged with {@code FAILED})
     */
    static List<Measured> run(
            BenchContext bench, String workload, List<Side> sides, int items, int jvms, int runs, int warmups)
            throws Exception {
        BenchOptions options = bench.options();
        double[][] means = new double[sides.size()][jvms];
        List<List<Double>> rates = new ArrayList<>();
        sides.forEach(s -> rates.add(new ArrayList<>()));
        for (int i = 0; i < jvms; i++) {
            StringBuilder line = new StringBuilder(workload + " JVM round " + (i + 1) + "/" + jvms + ":");
            for (int k = 0; k < sides.size(); k++) {
                int s = (i + k) % sides.size();
                Side side = sides.get(s);
                MachineLoad.awaitQuiet(options.quietWaitSeconds());
                ChildJvm.Ending ending = ChildJvm.run(
                        HandOffChild.class,
                        "2g",
                        side.jvmOptions(),
                        TIMEOUT_SECONDS,
                        side.mode(),
                        "threads",
                        String.valueOf(items),
                        String.valueOf(runs),
                        String.valueOf(warmups));
                if (!(ending instanceof ChildJvm.Completed done)) {
                    bench.log().println(workload + " FAILED (" + side.label() + "): " + ending);
                    return null;
                }
                double[] measured = Arrays.stream(done.rest().strip().split(","))
                        .mapToDouble(Double::parseDouble)
                        .toArray();
                means[s][i] = Arrays.stream(measured).average().orElseThrow();
                Arrays.stream(measured).forEach(rates.get(s)::add);
                line.append(String.format(Locale.ROOT, " %s %.2f M/s", side.label(), means[s][i] / 1e6));
            }
            bench.log().println(line);
        }
        List<Measured> result = new ArrayList<>();
        for (int s = 0; s < sides.size(); s++) {
            result.add(new Measured(
                    sides.get(s),
                    means[s],
                    rates.get(s).stream().mapToDouble(Double::doubleValue).toArray()));
        }
        return result;
    }

    /** A table row of {@code measured}: median and spread of every run, {@code derived} beside them. */
    static Row row(String caseName, Measured measured, String derived, Row.Verdict verdict) {
        Sample sample = measured.sample();
        return new Row(
                        caseName,
                        "threads",
                        Format.perSecond(sample.median()),
                        Format.spread(sample, Format::perSecond),
                        derived,
                        verdict)
                .with(Row.Figures.of(sample, Row.Figures.ITEMS_PER_SECOND));
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    private static double variance(double[] values) {
        double m = mean(values);
        return values.length < 2
                ? 0
                : Arrays.stream(values).map(v -> (v - m) * (v - m)).sum() / (values.length - 1);
    }
}
