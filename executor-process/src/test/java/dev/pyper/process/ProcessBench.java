package dev.pyper.process;

import static dev.pyper.Task.multiprocess;
import static dev.pyper.Task.ordered;
import static dev.pyper.Task.workers;

import dev.pyper.Option;
import dev.pyper.Pipeline;
import dev.pyper.PipelineExecutor;
import dev.pyper.Task;
import dev.pyper.threads.ThreadExecutor;
import java.util.List;
import java.util.stream.Stream;

/**
 * The numbers of issue 5, measured in one JVM: (a) CPU speedup of a multiprocess task with two
 * workers over a sequential loop, (b) items per second through a multiprocess identity task and
 * through the threads executor, (c) time to start a pool of two workers. Medians of five rounds
 * after a warm-up round. Run from the module with the test class path (see README.md).
 */
public final class ProcessBench {

    private static final int ROUNDS = 5;

    private ProcessBench() {}

    /**
     * Runs the three benchmarks and prints one line each.
     *
     * @param args which to run: any of {@code start cpu ipc}; all by default
     * @throws Exception if a run fails
     */
    public static void main(String[] args) throws Exception {
        System.out.println("cores: " + Runtime.getRuntime().availableProcessors() + ", java " + Runtime.version());
        List<String> which = args.length == 0 ? List.of("start", "cpu", "ipc") : List.of(args);
        if (which.contains("start")) {
            startTime();
        }
        if (which.contains("cpu")) {
            cpu();
        }
        if (which.contains("ipc")) {
            ipc();
        }
        if (which.contains("runs")) {
            runs();
        }
        if (which.contains("fanout")) {
            fanOut();
        }
    }

    /** (c): a new executor's first run of a two-worker multiprocess task, and one worker process alone. */
    private static void startTime() throws Exception {
        double[] pool = new double[ROUNDS + 1];
        double[] single = new double[ROUNDS + 1];
        for (int r = 0; r <= ROUNDS; r++) {
            long t0 = System.nanoTime();
            WorkerProcess one = WorkerProcess.start(WorkerOptions.defaults(), "bench");
            single[r] = (System.nanoTime() - t0) / 1e6;
            one.kill();
            try (ThreadExecutor threads = new ThreadExecutor()) {
                long t1 = System.nanoTime();
                Task.branch(Functions::upTo)
                        .pipe(Task.task(Functions::pid, multiprocess(), workers(2), ordered()))
                        .on(threads)
                        .consume(Stream::toList)
                        .apply(2);
                pool[r] = (System.nanoTime() - t1) / 1e6;
            }
        }
        System.out.printf(
                "(c) start: one worker process %.0f ms; first run of a 2-worker multiprocess task on a new executor %.0f ms%n",
                median(single), median(pool));
    }

    /** (a): 40 items of ~25 ms deterministic CPU work. */
    private static void cpu() throws Exception {
        long rounds = calibrate(25);
        double[] speedups = new double[ROUNDS + 1];
        double[] threadSpeedups = new double[ROUNDS + 1];
        try (ThreadExecutor threads = new ThreadExecutor()) {
            for (int r = 0; r <= ROUNDS; r++) {
                long t0 = System.nanoTime();
                long check = 0;
                for (int i = 0; i < 40; i++) {
                    check += Functions.spin(rounds + i);
                }
                long sequential = System.nanoTime() - t0;
                long t1 = System.nanoTime();
                List<Long> out = Task.branch(Functions::upTo)
                        .pipe(work(rounds, multiprocess(), workers(2)))
                        .on(threads)
                        .consume(Stream::toList)
                        .apply(40);
                long parallel = System.nanoTime() - t1;
                if (out.stream().mapToLong(Long::longValue).sum() != check) {
                    throw new AssertionError("different results");
                }
                long t2 = System.nanoTime();
                Task.branch(Functions::upTo)
                        .pipe(work(rounds, workers(2)))
                        .on(threads)
                        .consume(Stream::toList)
                        .apply(40);
                long onThreads = System.nanoTime() - t2;
                speedups[r] = (double) sequential / parallel;
                threadSpeedups[r] = (double) sequential / onThreads;
                System.out.printf(
                        "    round %d: sequential %.0f ms, 2 worker processes %.0f ms, 2 threads %.0f ms%n",
                        r, sequential / 1e6, parallel / 1e6, onThreads / 1e6);
            }
        }
        System.out.printf(
                "(a) CPU, 40 x 25 ms, workers(2): speedup x%.2f over a sequential loop (2 threads, for reference: x%.2f)%n",
                median(speedups), median(threadSpeedups));
    }

    /** The CPU work of {@link #cpu}: {@code rounds + i} rounds of {@link Functions#spin} for input {@code i}. */
    private static Pipeline<Integer, Long> work(long rounds, Option... options) {
        return Task.task(i -> Functions.spin(rounds + i), options);
    }

    /** Rounds of {@link Functions#spin} that take {@code millis} on an uncontended core: the fastest of several trials. */
    private static long calibrate(int millis) {
        long rounds = 1_000_000;
        for (int i = 0; i < 3; i++) {
            Functions.spin(rounds); // warm up the compiler
        }
        double fastest = Double.MAX_VALUE;
        for (int i = 0; i < 9; i++) {
            long t0 = System.nanoTime();
            Functions.spin(rounds);
            fastest = Math.min(fastest, (System.nanoTime() - t0) / 1e6);
        }
        return (long) (rounds * millis / Math.max(fastest, 0.01));
    }

    /** Outputs streamed back: one input, 200,000 outputs of a multiprocess generator. */
    private static void fanOut() throws Exception {
        int n = 200_000;
        try (ThreadExecutor threads = new ThreadExecutor()) {
            double[] rates = new double[ROUNDS + 1];
            for (int r = 0; r <= ROUNDS; r++) {
                long t0 = System.nanoTime();
                long count = Task.task((Integer x) -> x)
                        .pipe(Task.generator(Functions::countTo, multiprocess()))
                        .on(threads)
                        .consume(Stream::count)
                        .apply(n);
                rates[r] = count / ((System.nanoTime() - t0) / 1e9);
            }
            System.out.printf("    fan-out: a multiprocess generator streams back %,.0f outputs/s%n", median(rates));
        }
    }

    /** Run overhead: short runs of a three-task pipeline on a warm process executor. */
    private static void runs() throws Exception {
        var p = Task.branch(Functions::upTo)
                .pipe(Task.task(Functions::square, workers(2)))
                .pipe(Task.task(Functions::square));
        try (ProcessExecutor processes = new ProcessExecutor()) {
            double[] perRun = new double[ROUNDS + 1];
            for (int r = 0; r <= ROUNDS; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < 100; i++) {
                    p.on(processes).consume(Stream::toList).apply(3);
                }
                perRun[r] = (System.nanoTime() - t0) / 1e6 / 100;
            }
            System.out.printf(
                    "    a warm 3-task, 4-worker run of 3 items on the process executor: %.2f ms%n", median(perRun));
        }
    }

    /** (b): 200,000 small items through an identity task. */
    private static void ipc() throws Exception {
        int n = 200_000;
        try (ThreadExecutor threads = new ThreadExecutor()) {
            double viaProcess = median(rate(threads, Task.task(x -> x, multiprocess()), n));
            double viaThreads = median(rate(threads, Task.task((Integer x) -> x), n));
            System.out.printf(
                    "(b) IPC, %,d items: multiprocess identity %,.0f items/s; threads executor %,.0f items/s (ratio %.1f)%n",
                    n, viaProcess, viaThreads, viaThreads / viaProcess);
        }
        try (ProcessExecutor processes = new ProcessExecutor()) {
            double all = median(rate(processes, Task.task((Integer x) -> x), n));
            System.out.printf("    process executor (producer and identity both in workers): %,.0f items/s%n", all);
        }
    }

    private static double[] rate(PipelineExecutor executor, Pipeline<Integer, Integer> identity, int n)
            throws Exception {
        double[] rates = new double[ROUNDS + 1];
        for (int r = 0; r <= ROUNDS; r++) {
            long t0 = System.nanoTime();
            long count = Task.generator(Functions::countTo)
                    .pipe(identity)
                    .on(executor)
                    .consume(Stream::count)
                    .apply(n);
            rates[r] = count / ((System.nanoTime() - t0) / 1e9);
        }
        return rates;
    }

    /** The median of the measured rounds, the first (warm-up) round left out. */
    private static double median(double[] values) {
        double[] measured = java.util.Arrays.copyOfRange(values, 1, values.length);
        java.util.Arrays.sort(measured);
        return measured[measured.length / 2];
    }
}
