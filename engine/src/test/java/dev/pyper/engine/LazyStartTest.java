package dev.pyper.engine;

import static dev.pyper.Task.named;
import static dev.pyper.Task.ordered;
import static dev.pyper.Task.workers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.pyper.Option;
import dev.pyper.Pipeline;
import dev.pyper.PipelineRun;
import dev.pyper.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lazy start of a stage's workers, through the engine (see {@link Channel#consumeLazily}): a
 * task after the producer starts a worker only when an input would wait with none of its workers
 * idle, and never more than {@code workers}. The producer here emits one item at a time, when the
 * test lets it, and says when each emit has returned: a lazy start happens inside the put, so the
 * launches are counted exactly at that point, without sleeping.
 */
@Timeout(value = Forked.LIMIT_SECONDS * 3, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LazyStartTest {

    private final List<String> launched = new CopyOnWriteArrayList<>();
    private final PlatformThreadExecutor executor = new PlatformThreadExecutor((name, body) -> {
        launched.add(name);
        Thread.ofPlatform().name(name).daemon().start(body);
    });

    /** Lets the producer emit, one item per permit. */
    private final Semaphore mayEmit = new Semaphore(0);
    /** The items whose emit has returned, in order. */
    private final BlockingQueue<Integer> emitted = new LinkedBlockingQueue<>();

    @AfterEach
    @Timeout(value = Forked.LIMIT_SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // close waits for the runs
    void close() {
        executor.close();
    }

    /** A producer of {@code n} items 0..n-1 that emits each when the test releases a permit. */
    private Pipeline<Integer, Integer> stepByStep() {
        return Task.generator(
                (Integer n, dev.pyper.Emitter<Integer> out) -> {
                    for (int i = 0; i < n; i++) {
                        mayEmit.acquire();
                        out.emit(i);
                        emitted.add(i);
                    }
                },
                named("source"));
    }

    /** Lets the producer emit one more item and waits until its emit (and so any lazy start) has returned. */
    private void emitOne(int expected) throws InterruptedException {
        mayEmit.release();
        assertEquals(
                expected, emitted.poll(Forked.LIMIT_SECONDS, TimeUnit.SECONDS), "the producer's emit did not return");
    }

    /** The workers of task {@code name} launched so far. */
    private List<String> launchedOf(String name) {
        return launched.stream()
                .filter(n -> n.startsWith("pyper-" + name + "-"))
                .toList();
    }

    @ParameterizedTest(name = "ordered={0}")
    @ValueSource(booleans = {false, true})
    void eachInputThatFindsNoIdleWorkerStartsOne_neverMoreThanTheWorkers(boolean inOrder) throws Exception {
        CountDownLatch finish = new CountDownLatch(1);
        Option[] options = inOrder
                ? new Option[] {workers(3), named("work"), ordered()}
                : new Option[] {workers(3), named("work")};
        Pipeline<Integer, Integer> p = stepByStep()
                .pipe(Task.task(
                        (Integer x) -> {
                            finish.await(); // every started worker stays busy
                            return x;
                        },
                        options))
                .on(executor);
        try (PipelineRun<Integer> run = p.start(6)) {
            assertEquals(List.of("pyper-source-1"), launched, "only the producer starts up front");
            emitOne(0);
            assertEquals(List.of("pyper-work-1"), launchedOf("work"));
            emitOne(1);
            emitOne(2);
            assertEquals(List.of("pyper-work-1", "pyper-work-2", "pyper-work-3"), launchedOf("work"));
            emitOne(3);
            emitOne(4);
            emitOne(5);
            assertEquals(3, launchedOf("work").size(), "three workers: the other inputs wait for them");
            finish.countDown();
            List<Integer> out = run.outputs().toList();
            assertEquals(
                    IntStream.range(0, 6).boxed().toList(),
                    inOrder ? out : out.stream().sorted().toList());
        }
        assertEquals(3, launchedOf("work").size());
    }

    @Test
    void anIdleWorkerTakesTheNextInputAndNobodyNewStarts() throws Exception {
        Map<Integer, Thread> calledOn = new ConcurrentHashMap<>();
        BlockingQueue<Integer> called = new LinkedBlockingQueue<>();
        Pipeline<Integer, Integer> p = stepByStep()
                .pipe(Task.task(
                        (Integer x) -> {
                            calledOn.put(x, Thread.currentThread());
                            called.add(x);
                            return x;
                        },
                        workers(4),
                        named("work")))
                .on(executor);
        try (PipelineRun<Integer> run = p.start(3)) {
            for (int i = 0; i < 3; i++) {
                emitOne(i);
                assertEquals(i, called.poll(Forked.LIMIT_SECONDS, TimeUnit.SECONDS));
                if (i < 2) {
                    // the worker now goes back to its input channel and waits there, idle; nobody reads
                    // the outputs yet, so the only place it can park is that wait
                    Thread worker = calledOn.get(i);
                    assertNotNull(worker);
                    awaitWaiting(worker);
                }
            }
            assertEquals(List.of("pyper-work-1"), launchedOf("work"), "one worker was always idle when an input came");
            assertSame(calledOn.get(0), calledOn.get(2));
            assertEquals(List.of(0, 1, 2), run.outputs().toList());
        }
    }

    @Test
    void oneInputStartsOneWorker() {
        Pipeline<Integer, Integer> p = Task.branch(
                        (Integer n) -> IntStream.range(0, n).boxed().toList(), named("source"))
                .pipe(Task.task((Integer x) -> x + 10, workers(8), named("work")))
                .on(executor);
        assertEquals(List.of(10), p.toList(1));
        assertEquals(List.of("pyper-work-1"), launchedOf("work"), "the other seven were retired, never started");
    }

    @Test
    void noInputStartsNoWorker_andTheRunStillEnds() {
        Pipeline<Integer, Integer> p = Task.branch((Integer n) -> new ArrayList<Integer>(), named("source"))
                .pipe(Task.task((Integer x) -> x, workers(8), named("work")))
                .pipe(Task.task((Integer x) -> x, workers(8), named("next")))
                .on(executor);
        assertEquals(List.of(), p.toList(0));
        assertEquals(List.of(), launchedOf("work"), "the unstarted workers are retired at the end of the stream");
        assertEquals(List.of(), launchedOf("next"), "and counted as ended: the stream after them ended too");
    }

    /** Waits (bounded) until {@code t} is parked. */
    private static void awaitWaiting(Thread t) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Forked.LIMIT_SECONDS);
        while (t.getState() != Thread.State.WAITING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(t.getName() + " did not park; state " + t.getState());
            }
            Thread.onSpinWait();
        }
    }
}
