package dev.pyper.engine;

import static dev.pyper.Task.workers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Pipeline;
import dev.pyper.PipelineRun;
import dev.pyper.Task;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Async tasks hold their stages without a thread per stage (rule 5.1). */
class AsyncStageTest {

    private final AtomicInteger launched = new AtomicInteger();
    private final PlatformThreadExecutor executor = new PlatformThreadExecutor((name, body) -> {
        launched.incrementAndGet();
        Thread.ofPlatform().name(name).start(body);
    });

    @AfterEach
    void close() {
        executor.close();
    }

    @Test
    void tenThousandPendingStagesTakeTwoThreads() {
        int n = 10_000;
        Queue<CompletableFuture<Integer>> pending = new ConcurrentLinkedQueue<>();
        Pipeline<Integer, Integer> p = Task.branch(
                        (Integer count) -> IntStream.range(0, count).boxed().toList())
                .pipe(Task.async(
                        x -> {
                            CompletableFuture<Integer> stage = new CompletableFuture<>();
                            pending.add(stage);
                            return stage.thenApply(v -> x);
                        },
                        workers(n)))
                .on(executor);
        try (PipelineRun<Integer> run = p.start(n)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (pending.size() < n && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(n, pending.size(), "every stage is in flight at once");
            assertEquals(n, run.metrics().tasks().get(1).busyWorkers());
            assertEquals(
                    3, launched.get(), "one producer thread, and two threads for the async task, however many stages");
            pending.forEach(stage -> stage.complete(0));
            List<Integer> out = run.outputs().sorted().toList();
            assertEquals(IntStream.range(0, n).boxed().toList(), out);
        }
    }

    @Test
    void closingTheRunCancelsPendingStages() {
        Queue<CompletableFuture<Integer>> pending = new ConcurrentLinkedQueue<>();
        Pipeline<Integer, Integer> p = Task.branch(
                        (Integer count) -> IntStream.range(0, count).boxed().toList())
                .pipe(Task.async(
                        x -> {
                            CompletableFuture<Integer> stage = new CompletableFuture<>();
                            pending.add(stage);
                            return stage;
                        },
                        workers(8)))
                .on(executor);
        try (PipelineRun<Integer> run = p.start(100)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (pending.size() < 8 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(8, pending.size());
        }
        assertTrue(
                pending.stream().allMatch(CompletableFuture::isCancelled),
                "closing the run cancels every pending stage");
    }
}
