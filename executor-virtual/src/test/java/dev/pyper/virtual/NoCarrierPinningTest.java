package dev.pyper.virtual;

import static dev.pyper.Task.named;
import static dev.pyper.Task.ordered;
import static dev.pyper.Task.throttle;
import static dev.pyper.Task.workers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Pipeline;
import dev.pyper.Task;
import dev.pyper.function.Generator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's blocking paths never pin a carrier thread (issue 4): a pipeline with many more
 * workers than carriers, every invocation blocking, is run under a JFR recording of
 * {@code jdk.VirtualThreadPinned} with a threshold of 0 ms, and no pinning event may have a frame
 * in {@code dev.pyper} code.
 *
 * <p>The run is arranged so that, before a gate opens, every blocking path of the engine is taken
 * at the same time, and a {@link VirtualThreadCensus} proves it: the producer waits on a full
 * throttle ({@code Channel.put}), the ordered {@code fetch} task's workers wait for a slot of its
 * reorder window ({@code ReorderWindow.enter}, the head input holds the window), the ordered
 * {@code store} task's workers wait on an empty channel ({@code Channel.take}), and so does the
 * caller, itself a virtual thread. After the gate opens, every invocation still blocks (a sleep
 * and a shared semaphore), and the async {@code settle} task's workers wait for their stages.
 *
 * <p>Since JDK 24 (JEP 491) {@code synchronized} and {@code Object.wait} no longer pin, so on this
 * JDK the recording could miss pinning in the engine only if it caught nothing at all. The control
 * case shows that it does catch pinning, with our frames in the stack trace: a virtual thread that
 * blocks inside a class initializer still pins its carrier on JDK 25 (the initializer runs under a
 * VM frame). On JDK 21 to 23 the same test also catches any {@code synchronized} wait in the
 * engine.
 *
 * <p>The module's surefire configuration runs tests with two carrier threads
 * ({@code -Djdk.virtualThreadScheduler.parallelism=2}, {@code maxPoolSize=2}), so 64 workers per
 * task outnumber the carriers 32 to 1, and a pinned wait would soon stall the run.
 */
class NoCarrierPinningTest {

    private static final int ITEMS = 2_000;
    private static final long WARM_UP = 500;
    private static final int WORKERS = 64;
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String PINNED = "jdk.VirtualThreadPinned";
    private static final String CONTROL_THREAD = "pinning-control";

    /** Holds the head input of {@code fetch} until every blocking path has been seen. */
    private final CountDownLatch gate = new CountDownLatch(1);

    private final Semaphore shared = new Semaphore(4);
    private VirtualThreadExecutor executor;

    @BeforeEach
    void open() {
        executor = new VirtualThreadExecutor();
    }

    @AfterEach
    void close() {
        gate.countDown();
        executor.close();
    }

    @Test
    void engineBlockingPathsDoNotPinCarriers() throws Exception {
        int carriers = Integer.getInteger(
                "jdk.virtualThreadScheduler.parallelism", Runtime.getRuntime().availableProcessors());
        assertTrue(
                WORKERS > 4 * carriers, "the test needs many more workers than the " + carriers + " carrier threads");
        // Warm up: a class loaded for the first time by several virtual threads at once pins them
        // (the JDK loads classes under a monitor with native frames on the stack). That happens once
        // per class and JVM; the recording is about the engine's waits, which happen every run.
        assertEquals(
                WARM_UP, pipeline(new CountDownLatch(0)).consume(Stream::count).apply((int) WARM_UP));

        List<RecordedEvent> pinned;
        List<Integer> outputs;
        try (Recording recording = new Recording()) {
            recording.enable(PINNED).withThreshold(Duration.ZERO).withStackTrace();
            recording.start();

            FutureTask<List<Integer>> caller = new FutureTask<>(
                    () -> pipeline(gate).consume(Stream::toList).apply(ITEMS));
            Thread.ofVirtual().name("pinning-caller").start(caller);
            awaitEveryBlockingPath();
            gate.countDown();
            outputs = caller.get(BOUND.toSeconds(), TimeUnit.SECONDS);

            pinControlCarrier();
            recording.stop();
            pinned = events(recording);
        }

        assertEquals(IntStream.range(0, ITEMS).boxed().toList(), outputs, "every task is ordered, so are the outputs");
        List<RecordedEvent> control = pinned.stream()
                .filter(e -> CONTROL_THREAD.equals(threadName(e)))
                .toList();
        assertFalse(control.isEmpty(), "the recording must catch the control case's pinning, or it proves nothing");
        assertTrue(
                control.stream().anyMatch(e -> hasFrameIn(e, PinsItsCarrier.class.getName())),
                () -> "the control case's pinning event must show the frame that pinned: " + control);
        List<RecordedEvent> ours = pinned.stream()
                .filter(e -> !CONTROL_THREAD.equals(threadName(e)))
                .filter(e -> hasFrameIn(e, "dev.pyper."))
                .toList();
        assertEquals(List.of(), ours, "virtual threads were pinned while in dev.pyper code");
    }

    /**
     * producer (throttle 1) → fetch (64 workers, ordered, throttle 1) → store (64 workers,
     * ordered) → settle (async, 64 workers, ordered); input 0 of fetch waits at the gate.
     */
    private Pipeline<Integer, Integer> pipeline(CountDownLatch gate) {
        Generator<Integer, Integer> count = (n, out) -> {
            for (int i = 0; i < n; i++) {
                out.emit(i);
            }
        };
        return Task.generator(count, named("count"), throttle(1))
                .pipe(Task.task(item -> fetch(item, gate), named("fetch"), workers(WORKERS), ordered(), throttle(1)))
                .pipe(Task.task(this::store, named("store"), workers(WORKERS), ordered()))
                .pipe(Task.async(this::settle, named("settle"), workers(WORKERS), ordered()))
                .on(executor);
    }

    private Integer fetch(Integer item, CountDownLatch gate) throws InterruptedException {
        if (item == 0) {
            gate.await();
        }
        return blockBriefly(item);
    }

    private Integer store(Integer item) throws InterruptedException {
        return blockBriefly(item);
    }

    /** An async task: its workers block in the engine's wait for the stage to complete. */
    private CompletableFuture<Integer> settle(Integer item) {
        CompletableFuture<Integer> settled = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                settled.complete(blockBriefly(item));
            } catch (InterruptedException e) {
                settled.completeExceptionally(e);
            }
        });
        return settled;
    }

    /** Every invocation blocks: on the shared semaphore when it is contended, and in a sleep. */
    private Integer blockBriefly(Integer item) throws InterruptedException {
        shared.acquire();
        try {
            Thread.sleep(Duration.ofNanos(20_000L + item % 7 * 20_000L));
        } finally {
            shared.release();
        }
        return item;
    }

    /** Waits, bounded, until a census shows a worker blocked in each of the engine's waits. */
    private void awaitEveryBlockingPath() {
        List<String> paths = List.of(
                "dev.pyper.engine.Channel.put",
                "dev.pyper.engine.ReorderWindow.enter",
                "dev.pyper.engine.Channel.take");
        long deadline = System.nanoTime() + BOUND.toNanos();
        List<VirtualThreadCensus.Entry> workers = List.of();
        while (System.nanoTime() - deadline < 0) {
            workers = VirtualThreadCensus.take().named("pyper-");
            List<VirtualThreadCensus.Entry> seen = workers;
            if (paths.stream().allMatch(path -> seen.stream().anyMatch(t -> t.virtual() && t.isIn(path)))) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError(
                "Not every blocking path of the engine was taken: " + paths + VirtualThreadCensus.describe(workers));
    }

    /** Blocks a virtual thread inside a class initializer, which pins its carrier even on JDK 25. */
    private static void pinControlCarrier() throws InterruptedException {
        Thread control = Thread.ofVirtual().name(CONTROL_THREAD).start(PinsItsCarrier::touch);
        control.join(BOUND);
        assertFalse(control.isAlive(), "the control case did not end");
    }

    private static final class PinsItsCarrier {
        static {
            try {
                Thread.sleep(Duration.ofMillis(5)); // parks under the initializer's VM frame: pinned
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        static void touch() {}
    }

    private static List<RecordedEvent> events(Recording recording) throws IOException {
        Path file = Files.createTempFile("pyper-pinning", ".jfr");
        try {
            recording.dump(file);
            return RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals(PINNED))
                    .toList();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static String threadName(RecordedEvent event) {
        return event.getThread() == null ? "" : event.getThread().getJavaName();
    }

    private static boolean hasFrameIn(RecordedEvent event, String classPrefix) {
        return event.getStackTrace() != null
                && event.getStackTrace().getFrames().stream()
                        .map(RecordedFrame::getMethod)
                        .anyMatch(m -> m.getType().getName().startsWith(classPrefix));
    }
}
