package dev.pyper.bench;

import static dev.pyper.Task.generator;
import static dev.pyper.Task.named;
import static dev.pyper.Task.task;
import static dev.pyper.Task.workers;

import dev.pyper.Emitter;
import dev.pyper.Pipeline;
import dev.pyper.PipelineExecutor;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The child JVM of W8: one IO-at-scale case (N items, each sleeping, at most W at once) on one
 * contender, measured {@code runs} times after {@code warmups}; prints the wall times and its own
 * peak resident set on a line that starts with {@value #RESULT}. One JVM per case, so that the
 * peak belongs to that case alone.
 *
 * <p>Contenders: a Pyper executor by its registered name ({@code virtual}, {@code threads}), or a
 * plain-JDK baseline: {@code jdk-virtual} (a virtual thread per item, at most W at once by a
 * semaphore), {@code jdk-virtual-queue} (the same, started by a producer thread, with the outputs
 * passed to the caller through a queue, as a pipeline does) or {@code jdk-pool} (a fixed pool of W platform threads, started once and reused).
 */
public final class ScaleChild {

    /** The prefix of the result line: {@code BENCH-RESULT <peak RSS in KiB> <millis>,<millis>,…}. */
    public static final String RESULT = "BENCH-RESULT";

    private ScaleChild() {}

    /** One run of the case; returns the sum of the outputs. */
    private interface Runner extends AutoCloseable {
        long once(int items) throws Exception;

        @Override
        void close();
    }

    /**
     * Runs one case.
     *
     * @param args contender, workers, items, sleep in ms, measured runs, warm-up runs
     * @throws Exception if the case fails; the parent reads the exit code and standard error
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            throw new IllegalArgumentException(
                    "usage: ScaleChild <contender> <workers> <items> <sleepMs> <runs> <warmups>, got "
                            + String.join(" ", args));
        }
        String contender = args[0];
        int workers = Integer.parseInt(args[1]);
        int items = Integer.parseInt(args[2]);
        Duration sleep = Duration.ofMillis(Long.parseLong(args[3]));
        int runs = Integer.parseInt(args[4]);
        int warmups = Integer.parseInt(args[5]);
        long expected = (long) items * (items - 1) / 2;
        double[] millis = new double[runs];
        try (Runner runner = runner(contender, workers, sleep)) {
            for (int i = 0; i < warmups + runs; i++) {
                long start = System.nanoTime();
                long sum = runner.once(items);
                double ms = (System.nanoTime() - start) / 1e6;
                if (sum != expected) {
                    throw new IllegalStateException(contender + ": expected the sum " + expected + ", got " + sum);
                }
                if (i >= warmups) {
                    millis[i - warmups] = ms;
                }
            }
        }
        String times = Arrays.stream(millis)
                .mapToObj(m -> String.format(java.util.Locale.ROOT, "%.2f", m))
                .collect(Collectors.joining(","));
        System.out.println(RESULT + " " + MemoryChild.peakRssKiB() + " " + times);
        System.out.flush();
        System.exit(0);
    }

    private static Runner runner(String contender, int workers, Duration sleep) {
        return switch (contender) {
            case "jdk-virtual" -> jdkVirtual(workers, sleep);
            case "jdk-virtual-queue" -> jdkVirtualQueue(workers, sleep);
            case "jdk-pool" -> jdkPool(workers, sleep);
            default -> pyper(PipelineExecutor.create(contender), workers, sleep);
        };
    }

    private static Runner pyper(PipelineExecutor executor, int workers, Duration sleep) {
        Pipeline<Integer, Integer> pipeline = Pipeline.of(
                        generator(ScaleChild::count),
                        task(
                                x -> {
                                    Thread.sleep(sleep);
                                    return x;
                                },
                                named("sleep"),
                                workers(workers)))
                .on(executor);
        return new Runner() {
            @Override
            public long once(int items) {
                try (Stream<Integer> out = pipeline.stream(items)) {
                    return out.mapToLong(Integer::longValue).sum();
                }
            }

            @Override
            public void close() {
                executor.close();
            }
        };
    }

    private static void count(Integer n, Emitter<Integer> out) {
        for (int i = 0; i < n; i++) {
            out.emit(i);
        }
    }

    private static Runner jdkVirtual(int workers, Duration sleep) {
        return new Runner() {
            @Override
            public long once(int items) throws InterruptedException {
                AtomicLong sum = new AtomicLong();
                Semaphore slots = new Semaphore(workers);
                try (ExecutorService perItem = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int i = 0; i < items; i++) {
                        slots.acquire();
                        perItem.execute(sleeper(sleep, i, sum::addAndGet, slots::release));
                    }
                }
                return sum.get();
            }

            @Override
            public void close() {}
        };
    }

    /**
     * What a hand-written pipeline does: a producer on a virtual thread starts a virtual thread
     * per item (at most W at once), each puts its output in a queue, and the caller takes every
     * output from it, as a Pyper caller does from its stream.
     */
    private static Runner jdkVirtualQueue(int workers, Duration sleep) {
        return new Runner() {
            @Override
            public long once(int items) throws Exception {
                BlockingQueue<Integer> outputs = new LinkedBlockingQueue<>();
                Semaphore slots = new Semaphore(workers);
                long sum = 0;
                try (ExecutorService perItem = Executors.newVirtualThreadPerTaskExecutor()) {
                    Future<?> producer = perItem.submit(() -> {
                        for (int i = 0; i < items; i++) {
                            slots.acquire();
                            perItem.execute(sleeper(sleep, i, outputs::add, slots::release));
                        }
                        return null;
                    });
                    for (int i = 0; i < items; i++) {
                        sum += outputs.take();
                    }
                    producer.get();
                }
                return sum;
            }

            @Override
            public void close() {}
        };
    }

    private static Runner jdkPool(int workers, Duration sleep) {
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        return new Runner() {
            @Override
            public long once(int items) throws InterruptedException {
                AtomicLong sum = new AtomicLong();
                CountDownLatch done = new CountDownLatch(items);
                for (int i = 0; i < items; i++) {
                    pool.execute(sleeper(sleep, i, sum::addAndGet, done::countDown));
                }
                done.await();
                return sum.get();
            }

            @Override
            public void close() {
                pool.shutdownNow();
            }
        };
    }

    /** A baseline's item: sleeps, passes {@code x} to {@code output}, then runs {@code then} whatever happened. */
    private static Runnable sleeper(Duration sleep, int x, IntConsumer output, Runnable then) {
        return () -> {
            try {
                Thread.sleep(sleep);
                output.accept(x);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                then.run();
            }
        };
    }
}
