package dev.pyper.threads;

import static dev.pyper.Task.throttle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pyper.Emitter;
import dev.pyper.Pipeline;
import dev.pyper.Task;
import dev.pyper.tck.SharedCounter;
import dev.pyper.tck.Tck;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Reactive Streams §2.13 against a subscriber that throws: its subscription counts as cancelled and
 * its run ends, instead of leaving the run's workers waiting for ever (rule 4.4). The reproduction:
 * an infinite producer and a middle task, both throttled, and a subscriber that throws on its third
 * item; before the fix both task threads stayed WAITING for ever.
 */
class SubscriberThatThrowsTest {

    @Test
    void aSubscriberThatThrowsFromOnNextEndsItsRun() {
        SharedCounter producerEnded = new SharedCounter();
        try (ThreadExecutor threads = new ThreadExecutor()) {
            Pipeline<Integer, Integer> forever = Task.generator(
                    (Integer start, Emitter<Integer> out) -> {
                        try {
                            for (int i = start; ; i++) {
                                out.emit(i);
                            }
                        } finally {
                            producerEnded.set(1);
                        }
                    },
                    throttle(4));
            Pipeline<Integer, Integer> p =
                    forever.pipe(Task.task(x -> x + 1, throttle(4))).on(threads);
            AtomicInteger received = new AtomicInteger();
            p.publisher(0).subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(Integer item) {
                    if (received.incrementAndGet() == 3) {
                        throw new IllegalStateException("a subscriber's bug");
                    }
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onComplete() {}
            });
            Tck.eventually(
                    () -> producerEnded.isSet() && threads.runningCount() == 0, "the run has ended after onNext threw");
            assertEquals(3, received.get(), "no signal after the one that threw");
        }
    }

    @Test
    void aSubscriberThatThrowsFromOnSubscribeGetsItsExceptionAndTheRunEnds() {
        try (ThreadExecutor threads = new ThreadExecutor()) {
            Pipeline<Integer, Integer> p = Task.generator(
                            (Integer start, Emitter<Integer> out) -> {
                                for (int i = start; ; i++) {
                                    out.emit(i);
                                }
                            },
                            throttle(2))
                    .on(threads);
            IllegalStateException bug = new IllegalStateException("onSubscribe's bug");
            IllegalStateException thrown = assertThrows(
                    IllegalStateException.class,
                    () -> p.publisher(0).subscribe(new Flow.Subscriber<Integer>() {
                        @Override
                        public void onSubscribe(Flow.Subscription s) {
                            throw bug;
                        }

                        @Override
                        public void onNext(Integer item) {}

                        @Override
                        public void onError(Throwable t) {}

                        @Override
                        public void onComplete() {}
                    }));
            assertSame(bug, thrown);
            // close() returns once the workers have ended; the last of them then leaves the executor's count
            Tck.eventually(
                    () -> threads.runningCount() == 0,
                    "the run, closed before subscribe() returned, to leave the count");
        }
    }
}
