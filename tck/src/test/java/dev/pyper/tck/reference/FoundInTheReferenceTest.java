package dev.pyper.tck.reference;

import static dev.pyper.Task.branch;
import static dev.pyper.Task.generator;
import static dev.pyper.Task.join;
import static dev.pyper.Task.ordered;
import static dev.pyper.Task.task;
import static dev.pyper.Task.throttle;
import static dev.pyper.Task.workers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.pyper.Emitter;
import dev.pyper.Pipeline;
import dev.pyper.PipelineException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bugs of the reference executor itself that the model-based suite found (model-tests,
 * {@code BrokenEnginesAreCaughtTest}), each as a plain test of what went wrong. A third one, a
 * join that saw the normal end of a stream cut short by the cancellation (the buffers were
 * cancelled from the first to the last), is a race that no plain test forces; the model suite's
 * series on the reference covers it.
 */
class FoundInTheReferenceTest {

    private final ReferenceExecutor executor = new ReferenceExecutor();

    @AfterEach
    void closeExecutor() {
        executor.close();
    }

    /**
     * Rule 4.3: a task that runs a pipeline of its own, interrupted by the run's failure, throws
     * the nested run's {@code PipelineException} with the interrupt as its cause: that is the
     * failure's echo, not a later failure.
     */
    @Test
    void aNestedRunInterruptedByTheFailureIsNotALaterFailure() {
        CountDownLatch nestedWaiting = new CountDownLatch(1);
        Pipeline<Integer, Integer> inner = Pipeline.of(task((Integer x) -> x), task((Integer x) -> {
                    nestedWaiting.countDown();
                    Thread.sleep(Duration.ofMinutes(10)); // until the cancellation interrupts it
                    return x;
                }))
                .on(executor);
        IllegalStateException first = new IllegalStateException("first");
        Pipeline<Integer, Integer> p = Pipeline.of(
                        branch((Integer n) -> List.of(0, 1)),
                        task(
                                (Integer x) -> {
                                    if (x == 0) {
                                        nestedWaiting.await();
                                        throw first;
                                    }
                                    return inner.consume(Stream::toList)
                                            .apply(x)
                                            .get(0);
                                },
                                workers(2)))
                .on(executor);
        PipelineException e = assertTimeoutPreemptively(
                Duration.ofSeconds(30), () -> assertThrows(PipelineException.class, () -> p.toList(0)));
        assertSame(first, e.getCause());
        assertEquals(0, e.getSuppressed().length, () -> "suppressed: " + Arrays.toString(e.getSuppressed()));
    }

    /**
     * Rule 8.3: a join that returns early stops the {@code ordered()} task before it, also the
     * worker waiting for room in the reorder window, which the slot of a worker stopped at its
     * refused output used to hold for ever.
     */
    @Test
    void anOrderedTaskWaitingForRoomStopsWhenTheJoinAfterItReturnsEarly() {
        CountDownLatch secondDone = new CountDownLatch(1);
        Pipeline<Integer, Integer> p = Pipeline.of(
                        generator((Integer n, Emitter<Integer> out) -> {
                            for (int i = 0; i < 4; i++) {
                                out.emit(i);
                            }
                        }),
                        generator(
                                (Integer x, Emitter<Integer> out) -> {
                                    out.emit(x); // input 0's first output goes straight on: the join returns with it
                                    if (x == 0) {
                                        secondDone.await();
                                        while (true) {
                                            out.emit(x); // until refused: input 0 never completes
                                        }
                                    }
                                    secondDone.countDown(); // input 1 completes, held; its worker then waits for room
                                },
                                workers(2),
                                ordered(),
                                throttle(1)),
                        join((Stream<Integer> s) -> s.findFirst().orElseThrow()))
                .on(executor);
        assertEquals(List.of(0), assertTimeoutPreemptively(Duration.ofSeconds(30), () -> p.toList(0)));
    }
}
