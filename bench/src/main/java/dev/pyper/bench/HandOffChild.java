package dev.pyper.bench;

import dev.pyper.Pipeline;
import dev.pyper.PipelineExecutor;
import dev.pyper.micrometer.MeteredPipeline;
import dev.pyper.micrometer.PyperMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.MDC;

/**
 * The child JVM of W10 and W11: W1's hand-off (the pipeline of {@link PyperSubject#handOffPipeline})
 * on one executor, {@code runs} times after {@code warmups}; prints the rates in items per second
 * on a line that starts with {@value MemoryChild#RESULT}. Its mode says what the run carries
 * besides:
 * <ul>
 *   <li>{@code plain}: nothing (W10 starts it with and without {@code -Dpyper.metrics.calls=false});
 *   <li>{@code micrometer}: every run through {@link PyperMetrics#monitor} into a
 *       {@link SimpleMeterRegistry}, meters for every task;
 *   <li>{@code context}: an MDC key and an OpenTelemetry context value set on the calling thread,
 *       carried into every invocation by {@code pyper-context} (when the parent does not turn it off).
 * </ul>
 */
public final class HandOffChild {

    private static final ContextKey<String> REQUEST = ContextKey.named("bench-request");

    private HandOffChild() {}

    /**
     * Runs the hand-off.
     *
     * @param args mode, executor, items, measured runs, warm-up runs
     * @throws Exception if a run fails or its sum is wrong; the parent reads the exit code and standard error
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 5 || !Arrays.asList("plain", "micrometer", "context").contains(args[0])) {
            throw new IllegalArgumentException(
                    "usage: HandOffChild plain|micrometer|context <executor> <items> <runs> <warmups>, got "
                            + String.join(" ", args));
        }
        String mode = args[0];
        int items = Integer.parseInt(args[2]);
        int runs = Integer.parseInt(args[3]);
        int warmups = Integer.parseInt(args[4]);
        long expected = (long) items * (items + 1);
        double[] rates = new double[runs];
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        if (mode.equals("context")) {
            MDC.put("requestId", "bench-1");
            if (!"bench-1".equals(MDC.get("requestId"))) {
                throw new AssertionError("no SLF4J MDC to carry: " + MDC.getMDCAdapter());
            }
        }
        try (PipelineExecutor executor = PipelineExecutor.create(args[1]);
                Scope scope = mode.equals("context")
                        ? Context.root().with(REQUEST, "bench-1").makeCurrent()
                        : Scope.noop()) {
            Pipeline<Integer, Integer> pipeline =
                    PyperSubject.handOffPipeline(0).on(executor);
            MeteredPipeline<Integer, Integer> metered =
                    mode.equals("micrometer") ? PyperMetrics.monitor(registry, pipeline, "w1") : null;
            for (int i = 0; i < warmups + runs; i++) {
                long start = System.nanoTime();
                long sum;
                try (Stream<Integer> outputs = metered != null ? metered.stream(items) : pipeline.stream(items)) {
                    sum = outputs.mapToLong(Integer::longValue).sum();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (sum != expected) {
                    throw new AssertionError("hand-off sum " + sum + ", expected " + expected);
                }
                if (i >= warmups) {
                    rates[i - warmups] = items / seconds;
                }
            }
            if (metered != null && registry.getMeters().isEmpty()) {
                throw new AssertionError("micrometer mode bound no meters");
            }
        }
        String text = Arrays.stream(rates)
                .mapToObj(r -> String.format(Locale.ROOT, "%.0f", r))
                .collect(Collectors.joining(","));
        System.out.println(MemoryChild.RESULT + " " + MemoryChild.peakRssKiB() + " " + text);
        System.out.flush();
        System.exit(0);
    }
}
