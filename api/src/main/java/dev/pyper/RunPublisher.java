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
 *
 * <h2>A subscriber that throws</h2>
 * A subscriber's method that throws breaks §2.13, but it happens. The subscription is then treated
 * as cancelled: the run is closed at once, so that nothing of it keeps running or waiting (rule
 * 4.4), no further signal is sent, and the exception is reported through the JDK's platform logger
 * ({@code System.Logger} named {@code dev.pyper.RunPublisher}, level WARNING), the one channel a
 * library without dependencies has.
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
        try {
            subscriber.onSubscribe(subscription);
        } catch (RuntimeException | Error e) {
            subscription.terminate();
            run.close(); // §2.13: the subscription counts as cancelled, and its run must not go on
            throw e;
        }
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
        private Throwable subscriberFailure; // drain-owned: what onNext threw
        private final java.util.function.Consumer<O> deliver = this::deliver;

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
                        IllegalArgumentException bad = new IllegalArgumentException(
                                "§3.9: Subscription.request needs a positive number, was " + badRequestN);
                        signal("onError", () -> subscriber.onError(bad));
                        return;
                    }
                    if (demand.get() == 0) {
                        return;
                    }
                    boolean more = outputs.tryAdvance(deliver);
                    if (subscriberFailure != null) {
                        subscriberFailed("onNext", subscriberFailure);
                        return;
                    }
                    if (!more) {
                        done = true;
                        cancelled = true;
                        run.close();
                        signal("onComplete", subscriber::onComplete);
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
                signal("onError", () -> subscriber.onError(e));
            }
        }

        /** Hands one output to the subscriber, keeping what it throws for the drain (§2.13). */
        private void deliver(O output) {
            try {
                subscriber.onNext(output);
            } catch (Throwable t) {
                subscriberFailure = t;
            }
        }

        /** A terminal signal; what the subscriber throws there is reported, not propagated (§2.13). */
        private void signal(String method, Runnable call) {
            try {
                call.run();
            } catch (Throwable t) {
                report(method, t);
            }
        }

        /** §2.13: a subscriber that threw is treated as having cancelled; its run ends now. */
        private void subscriberFailed(String method, Throwable t) {
            done = true;
            cancelled = true;
            run.close();
            report(method, t);
        }

        private void report(String method, Throwable t) {
            System.getLogger(RunPublisher.class.getName())
                    .log(
                            System.Logger.Level.WARNING,
                            "Subscriber " + subscriber + " threw from " + method + " (against Reactive Streams §2.13);"
                                    + " its subscription is cancelled and its run closed",
                            t);
        }
    }
}
