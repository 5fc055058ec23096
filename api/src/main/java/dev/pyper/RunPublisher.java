package dev.pyper;

import java.util.Objects;
import java.util.Spliterator;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pipeline's outputs as a {@link Flow.Publisher}: each subscription starts a run of its own
 * (a cold publisher) and passes its outputs on as demand allows (rule 5.2).
 *
 * <h2>How a subscription drains</h2>
 * Outputs are pulled from the run by a <em>drain</em>: a virtual thread that runs while there is
 * demand and exits when there is none, so an idle subscription holds no thread. The classic
 * work-in-progress counter ({@code wip}) ensures one drain at a time: whoever moves it from 0
 * starts the drain, and the drain leaves only after it has seen every increment. So the
 * subscriber's methods are called serially (§1.3), and never before {@code onSubscribe} has
 * returned, because the subscription starts with {@code wip = 1} held by {@code subscribe}.
 *
 * <h2>Cancellation and errors</h2>
 * {@code cancel()} marks the subscription and closes the run on a virtual thread of its own,
 * so that it returns at once (§3.5). A failed run signals {@code onError} with its
 * {@link PipelineException}; a request of a non-positive number signals
 * {@code IllegalArgumentException} (§3.9).
 */
final class RunPublisher<I, O> implements Flow.Publisher<O> {

    private final Pipeline<I, O> pipeline;
    private final I input;

    RunPublisher(Pipeline<I, O> pipeline, I input) {
        this.pipeline = pipeline;
        this.input = input;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super O> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber"); // §1.9
        RunSubscription<O> subscription = new RunSubscription<>(subscriber);
        PipelineRun<O> run;
        try {
            run = pipeline.start(input);
        } catch (RuntimeException e) {
            subscriber.onSubscribe(subscription);
            subscription.terminate();
            subscriber.onError(e);
            return;
        }
        subscription.attach(run);
        subscriber.onSubscribe(subscription);
        subscription.leaveSubscribe();
    }

    private static final class RunSubscription<O> implements Flow.Subscription {
        private final Flow.Subscriber<? super O> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger wip = new AtomicInteger(1); // held by subscribe() until onSubscribe returns
        private volatile boolean cancelled;
        private volatile boolean badRequest;
        private volatile long badRequestN;
        private PipelineRun<O> run;
        private Spliterator<O> outputs;
        private boolean done; // drain-owned

        RunSubscription(Flow.Subscriber<? super O> subscriber) {
            this.subscriber = subscriber;
        }

        void attach(PipelineRun<O> run) {
            this.run = run;
            this.outputs = run.outputs().spliterator();
        }

        void terminate() {
            done = true;
            cancelled = true;
        }

        void leaveSubscribe() {
            drainOrLeave();
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                badRequestN = n;
                badRequest = true;
            } else {
                demand.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b); // §3.17
            }
            if (wip.getAndIncrement() == 0) {
                Thread.ofVirtual().name("pyper-publisher").start(this::drain);
            }
        }

        @Override
        public void cancel() {
            if (!cancelled) {
                cancelled = true;
                PipelineRun<O> toClose = run;
                if (toClose != null) {
                    Thread.ofVirtual().name("pyper-publisher-cancel").start(toClose::close);
                }
            }
        }

        /** Called by subscribe() once onSubscribe has returned, holding wip = 1. */
        private void drainOrLeave() {
            if (wip.decrementAndGet() != 0) {
                Thread.ofVirtual().name("pyper-publisher").start(this::drain);
            }
        }

        private void drain() {
            int missed = 1;
            while (true) {
                if (!done) {
                    drainOnce();
                }
                missed = wip.addAndGet(-missed);
                if (missed == 0) {
                    return;
                }
            }
        }

        private void drainOnce() {
            try {
                while (!cancelled) {
                    if (badRequest) {
                        done = true;
                        cancel();
                        subscriber.onError(new IllegalArgumentException(
                                "§3.9: Subscription.request needs a positive number, was " + badRequestN));
                        return;
                    }
                    if (demand.get() == 0) {
                        return;
                    }
                    if (!outputs.tryAdvance(subscriber::onNext)) {
                        done = true;
                        cancelled = true;
                        run.close();
                        subscriber.onComplete();
                        return;
                    }
                    demand.decrementAndGet();
                }
            } catch (PipelineException e) {
                done = true;
                if (cancelled) {
                    return; // the run was closed by cancel(): no more signals (§1.8)
                }
                cancelled = true;
                run.close();
                subscriber.onError(e);
            }
        }
    }
}
