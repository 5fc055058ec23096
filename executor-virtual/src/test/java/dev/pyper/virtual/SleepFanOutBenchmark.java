package dev.pyper.virtual;

import dev.pyper.Pipeline;
import dev.pyper.Task;
import dev.pyper.function.Generator;
import dev.pyper.spi.ExecutorRegistry;
import dev.pyper.spi.PipelineExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Issue 4's IO fan-out benchmark, run by hand (never as a timed test): {@code N} items, each
 * sleeping {@code S} ms in one task with {@code workers(W)}, on the executor of the given name.
 * Prints the wall time of every measured run, the median, its ratio to the ideal
 * {@code ceil(N / W) × S}, and the JVM's peak resident memory ({@code VmHWM}). Run one JVM per
 * case, so that the peak belongs to that case alone.
 *
 * <pre>
 * java -cp &lt;executor-virtual test classpath, plus executor-threads for "threads"&gt; \
 *     dev.pyper.virtual.SleepFanOutBenchmark virtual 10000 [items=10000] [sleepMs=20] [runs=5] [warmups=3]
 * </pre>
 */
public final class SleepFanOutBenchmark {

    private SleepFanOutBenchmark() {
    }

    /**
     * Runs one case.
     *
     * @param args executor name, workers, then optionally items, sleep in ms, measured runs,
     *     warm-up runs
     * @throws Exception if a run fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: SleepFanOutBenchmark <executor> <workers> [items=10000] [sleepMs=20] [runs=5] [warmups=3]");
            System.exit(2);
        }
        String executorName = args[0];
        int workers = Integer.parseInt(args[1]);
        int items = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        long sleepMillis = args.length > 3 ? Long.parseLong(args[3]) : 20;
        int runs = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        int warmups = args.length > 5 ? Integer.parseInt(args[5]) : 3;

        Duration sleep = Duration.ofMillis(sleepMillis);
        Generator<Integer, Integer> count = (n, out) -> {
            for (int i = 0; i < n; i++) {
                out.emit(i);
            }
        };
        try (PipelineExecutor executor = ExecutorRegistry.create(executorName)) {
            Pipeline<Integer, Integer> pipeline = Task.branch(count).named("count")
                    .pipe(Task.<Integer, Integer>task(x -> {
                        Thread.sleep(sleep);
                        return x;
                    }).named("sleep").workers(workers))
                    .on(executor);
            for (int i = 0; i < warmups; i++) {
                runOnce(pipeline, items);
            }
            double[] millis = new double[runs];
            for (int i = 0; i < runs; i++) {
                millis[i] = runOnce(pipeline, items);
            }
            double[] sorted = millis.clone();
            Arrays.sort(sorted);
            double median = sorted[runs / 2];
            double ideal = Math.ceil((double) items / workers) * sleepMillis;
            System.out.printf(Locale.ROOT, "executor=%s W=%d N=%d sleep=%dms runs=%s median=%.1fms ideal=%.0fms ratio=%.2f vmHWM=%s%n",
                    executorName, workers, items, sleepMillis, Arrays.toString(round(millis)), median, ideal, median / ideal,
                    peakResidentMemory());
        }
    }

    /** One run to its end; returns its wall time in milliseconds. */
    private static double runOnce(Pipeline<Integer, Integer> pipeline, int items) {
        long start = System.nanoTime();
        long outputs;
        try (Stream<?> out = pipeline.stream(items)) {
            outputs = out.count();
        }
        double millis = (System.nanoTime() - start) / 1e6;
        if (outputs != items) {
            throw new IllegalStateException("expected " + items + " outputs, got " + outputs);
        }
        return millis;
    }

    private static long[] round(double[] values) {
        return Arrays.stream(values).mapToLong(Math::round).toArray();
    }

    /** {@code VmHWM} from {@code /proc/self/status}: the peak resident set of this JVM. */
    private static String peakResidentMemory() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return "n/a";
        }
        try (Stream<String> lines = Files.lines(status)) {
            return lines.filter(l -> l.startsWith("VmHWM:")).map(l -> l.substring("VmHWM:".length()).trim().replaceAll("\\s+", ""))
                    .findFirst().orElse("n/a");
        }
    }
}
