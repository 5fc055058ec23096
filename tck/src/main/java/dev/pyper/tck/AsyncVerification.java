package dev.pyper.tck;

import static dev.pyper.Task.named;
import static dev.pyper.Task.ordered;
import static dev.pyper.Task.throttle;
import static dev.pyper.Task.workers;
import static dev.pyper.tck.ConstructionVerification.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pyper.Emitter;
import dev.pyper.Pipeline;
import dev.pyper.PipelineException;
import dev.pyper.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/**
 * Section 5 of the specification: async tasks and the publisher. (The publisher is also checked
 * against the Reactive Streams TCK by {@link PublisherVerification}.)
 */
public abstract class AsyncVerification extends ExecutorVerification {

    /** For subclasses. */
    protected AsyncVerification() {}

    @RuleTest("5.1")
    void rule_5_1_anAsyncTaskKeepsUpToWorkersStagesInFlight() {
        int workers = 4;
        int n = 12;
        Queue<CompletableFuture<Integer>> pending = new ConcurrentLinkedQueue<>();
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.async(
                        (Integer x) -> {
                            CompletableFuture<Integer> stage = new CompletableFuture<>();
                            pending.add(stage); // completed by the test, with x * 10
                            return stage;
                        },
                        workers(workers)));
        List<Integer> got = new ArrayList<>();
        try (var outputs = on(p.pipe(Task.task((Integer x) -> x))).stream(n)) {
            var it = outputs.iterator();
            for (int done = 0; done < n; done++) {
                int expected = Math.min(n, done + workers);
                Tck.eventually(
                        () -> pending.size() + got.size() >= expected,
                        expected + " stages started, " + workers + " in flight");
                if (done == 0) {
                    Tck.never(() -> pending.size() > workers, "more than " + workers + " stages in flight");
                }
                pending.poll().complete(done * 10);
                got.add(it.next());
            }
        }
        assertEquals(IntStream.range(0, n).map(x -> x * 10).boxed().toList(), sorted(got));
    }

    @RuleTest("5.1")
    void rule_5_1_asyncAndBlockingTasksMixInOnePipeline() {
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.async((Integer x) -> CompletableFuture.supplyAsync(() -> x + 1), workers(3)))
                .pipe(Task.task(Fixtures::times2, workers(2)))
                .pipe(Task.asyncBranch(
                        (Integer x) -> CompletableFuture.completedFuture(List.of(x, -x)), workers(2), ordered()));
        List<Integer> expected = IntStream.range(0, 50)
                .boxed()
                .flatMap(x -> java.util.stream.Stream.of(2 * (x + 1), -2 * (x + 1)))
                .sorted()
                .toList();
        assertEquals(expected, sorted(run(p, 50)));
    }

    @RuleTest("5.1")
    void rule_5_1_aFailedStageFailsTheRunWithTheUsersException() {
        IllegalStateException mine = new IllegalStateException("stage failed");
        PipelineException e = assertThrows(
                PipelineException.class,
                () -> run(
                        Task.branch(Fixtures::range)
                                .pipe(Task.async(
                                        (Integer x) -> x == 5
                                                ? CompletableFuture.<Integer>failedFuture(mine)
                                                : CompletableFuture.supplyAsync(() -> x),
                                        workers(3))),
                        20));
        Tck.assertUsersException(mine, e.getCause());
    }

    @RuleTest("5.1")
    void rule_5_1_anAsyncFunctionThatReturnsNoStageFailsTheRunNamingTheTask() {
        PipelineException e = assertThrows(
                PipelineException.class,
                () -> run(
                        Task.branch(Fixtures::range)
                                .pipe(Task.async(
                                        (Integer x) -> x == 2 ? null : CompletableFuture.completedFuture(x),
                                        named("noStage"))),
                        5));
        ConstructionVerification.assertMessage(e, "noStage");
        assertInstanceOf(
                IllegalStateException.class, e.getCause(), "the same error on every executor: " + e.getCause());
        ConstructionVerification.assertMessage(e.getCause(), "noStage", "null", "CompletionStage");
    }

    @RuleTest("5.1")
    void rule_5_1_anAsyncBranchWhoseStageCompletesWithNullFailsTheRunNamingTheTask() {
        PipelineException e = assertThrows(
                PipelineException.class,
                () -> run(
                        Task.branch(Fixtures::range)
                                .pipe(Task.asyncBranch(
                                        (Integer x) -> CompletableFuture.completedFuture(x == 2 ? null : List.of(x)),
                                        named("noIterable"))),
                        5));
        ConstructionVerification.assertMessage(e, "noIterable");
        assertInstanceOf(
                IllegalStateException.class, e.getCause(), "the same error on every executor: " + e.getCause());
        ConstructionVerification.assertMessage(e.getCause(), "noIterable", "null", "Iterable");
    }

    @RuleTest("5.2")
    void rule_5_2_thePublisherHonoursDemandAndCancelEndsTheRun() {
        SharedCounter producerEnded = new SharedCounter();
        SharedCounter emitted = new SharedCounter();
        Flow.Publisher<Integer> publisher = on(Task.generator(
                        (Integer start, Emitter<Integer> out) -> {
                            try {
                                for (int i = start; ; i++) {
                                    out.emit(i);
                                    emitted.incrementAndGet();
                                }
                            } finally {
                                producerEnded.set(1);
                            }
                        },
                        throttle(4)))
                .publisher(0);
        List<Integer> received = new CopyOnWriteArrayList<>();
        AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
        SharedLatch three = new SharedLatch(3);
        publisher.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription.set(s);
                s.request(3);
            }

            @Override
            public void onNext(Integer item) {
                received.add(item);
                three.countDown();
            }

            @Override
            public void onError(Throwable t) {
                received.add(-1);
            }

            @Override
            public void onComplete() {
                received.add(-2);
            }
        });
        Tck.await(three, "three outputs for a demand of three");
        Tck.never(() -> received.size() > 3, "more outputs than requested: " + received);
        Tck.never(() -> emitted.get() > 3 + 4 + 2, "the producer ran past what the buffers allow: " + emitted.get());
        assertEquals(List.of(0, 1, 2), received);
        subscription.get().cancel();
        Tck.eventually(producerEnded::isSet, "cancel() ends the run");
    }

    @RuleTest("5.2")
    void rule_5_2_aFailedRunIsSignalledWithOnError() {
        IllegalStateException mine = new IllegalStateException("boom");
        Flow.Publisher<Integer> publisher = on(Task.branch(Fixtures::range).pipe(Task.task((Integer x) -> {
                    if (x == 2) {
                        throw mine;
                    }
                    return x;
                })))
                .publisher(10);
        AtomicReference<Throwable> error = new AtomicReference<>();
        SharedLatch ended = new SharedLatch(1);
        publisher.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(Integer item) {}

            @Override
            public void onError(Throwable t) {
                error.set(t);
                ended.countDown();
            }

            @Override
            public void onComplete() {
                ended.countDown();
            }
        });
        Tck.await(ended, "the end of the run");
        PipelineException e = assertInstanceOf(PipelineException.class, error.get());
        Tck.assertUsersException(mine, e.getCause());
    }
}
