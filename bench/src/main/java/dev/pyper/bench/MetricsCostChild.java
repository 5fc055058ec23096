package dev.pyper.bench;

import dev.pyper.PipelineExecutor;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The child JVM of W10: W1's hand-off (the same pipeline, {@link PyperSubject#handOff}) on one
 * executor, {@code runs} times after {@code warmups}; prints the rates in items per second on a
 * line that starts with {@value MemoryChild#RESULT}. The parent starts it with and without
 * {@code -Dpyper.metrics.calls=false}, so the two sides differ in that property alone.
 */
public final class MetricsCostChild {

    private MetricsCostChild() {
    }

    /**
     * Runs the hand-off.
     *
     * @param args executor, items, measured runs, warm-up runs
     * @throws Exception if a run fails or its sum is wrong; the parent reads the exit code and standard error
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: MetricsCostChild <executor> <items> <runs> <warmups>, got "
                    + String.join(" ", args));
        }
        int items = Integer.parseInt(args[1]);
        int runs = Integer.parseInt(args[2]);
        int warmups = Integer.parseInt(args[3]);
        long expected = (long) items * (items + 1);
        double[] rates = new double[runs];
        try (PyperSubject subject = new PyperSubject(PipelineExecutor.create(args[0]))) {
            for (int i = 0; i < warmups + runs; i++) {
                long start = System.nanoTime();
                long sum = subject.handOff(items, 0);
                double seconds = (System.nanoTime() - start) / 1e9;
                BenchContext.verify(subject, expected, sum);
                if (i >= warmups) {
                    rates[i - warmups] = items / seconds;
                }
            }
        }
        String text = Arrays.stream(rates).mapToObj(r -> String.format(Locale.ROOT, "%.0f", r)).collect(Collectors.joining(","));
        System.out.println(MemoryChild.RESULT + " " + MemoryChild.peakRssKiB() + " " + text);
        System.out.flush();
        System.exit(0);
    }
}
