package dev.pyper.bench;

import java.util.List;

/**
 * W11, what the ecosystem modules cost (issue 20): W1's hand-off on {@code threads} in child JVMs
 * ({@link HandOffChild}, {@link JvmComparison}) that take turns: the baseline with context
 * propagation off ({@code -Dpyper.context=none}) and nothing bound; the same with every run's
 * metrics bound to a Micrometer registry ({@code pyper-micrometer}); and {@code pyper-context}
 * carrying an MDC key and an OpenTelemetry context value into every invocation (rule 8.8). No
 * target: the figures say what a user pays per item on the fastest hand-off there is.
 */
final class EcosystemCostWorkload implements Workload {

    private static final String CONTEXT_OFF = "-Dpyper.context=none";
    private static final String CONTEXT_ON = "-Dpyper.context=";

    @Override
    public String id() {
        return "W11";
    }

    @Override
    public String title() {
        return "W11 ecosystem cost: W1 on threads with Micrometer meters, with context propagation";
    }

    @Override
    public String description() {
        return "W1's hand-off (1M items, three one-worker stages) on `threads` in child JVMs taking turns: the baseline (`"
                + CONTEXT_OFF
                + "`, nothing bound); every run's metrics bound to a Micrometer `SimpleMeterRegistry` through "
                + "`PyperMetrics.monitor` (context off); and `pyper-context` restoring an MDC key and an OpenTelemetry context "
                + "value around every invocation. Each side's figure is the mean over its JVMs of each JVM's mean rate; "
                + "each slowdown against the baseline is given with its 95 % interval. No target.";
    }

    @Override
    public List<Row> run(BenchContext bench) throws Exception {
        if (!bench.options().includes("threads")) {
            return List.of();
        }
        BenchOptions options = bench.options();
        int items = options.scaled(1_000_000, 100_000);
        int jvms = options.quick() ? 2 : 12;
        int runs = Math.max(options.runs(), options.quick() ? 3 : 15);
        String caseName = "N=" + items + ", " + jvms + " JVMs × " + runs + " runs";
        List<JvmComparison.Side> sides = List.of(
                new JvmComparison.Side("baseline", List.of(CONTEXT_OFF), "plain"),
                new JvmComparison.Side("micrometer", List.of(CONTEXT_OFF), "micrometer"),
                new JvmComparison.Side("context", List.of(CONTEXT_ON), "context"));
        List<JvmComparison.Measured> measured =
                JvmComparison.run(bench, id(), sides, items, jvms, runs, Math.max(options.warmups(), 3));
        if (measured == null) {
            return List.of(Row.notRun(caseName, "threads", "a child JVM failed; see the log"));
        }
        JvmComparison.Measured baseline = measured.get(0);
        return List.of(
                JvmComparison.row(
                        caseName + ", baseline",
                        baseline,
                        "mean of JVM means " + Format.perSecond(baseline.mean()),
                        Row.Verdict.NONE),
                JvmComparison.row(
                        caseName + ", Micrometer meters",
                        measured.get(1),
                        measured.get(1).slowdownText(baseline),
                        Row.Verdict.NONE),
                JvmComparison.row(
                        caseName + ", MDC and OpenTelemetry context",
                        measured.get(2),
                        measured.get(2).slowdownText(baseline),
                        Row.Verdict.NONE));
    }
}
