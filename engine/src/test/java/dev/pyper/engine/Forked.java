package dev.pyper.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A blocking call of the core run on a platform thread of its own, so that a test can see it wait
 * and see what wakes it. Every wait here is bounded: a call that never returns fails the test
 * instead of hanging the build, and no test sleeps. The test classes also bound each test as a
 * whole ({@code @Timeout}), for the calls they make on their own thread.
 *
 * @param <T> what the call returns
 */
final class Forked<T> {

    /** How long a test waits for a thread to park or for a call to return before it fails. */
    static final long LIMIT_SECONDS = 20;

    /** A blocking call that may throw anything. */
    @FunctionalInterface
    interface Call<T> {
        T call() throws Exception;
    }

    /** The call's outcome: what it returned, or what it threw (a {@code Signal} is a CancellationException, which a future would take for its own). */
    private record Outcome<T>(T value, Throwable thrown) {}

    private final CompletableFuture<Outcome<T>> result = new CompletableFuture<>();
    private final Thread thread;

    private Forked(String name, Call<T> call) {
        thread = Thread.ofPlatform().name(name).daemon().unstarted(() -> {
            try {
                result.complete(new Outcome<>(call.call(), null));
            } catch (Throwable t) {
                result.complete(new Outcome<>(null, t));
            }
        });
        thread.start();
    }

    /** Starts {@code call} on a new thread. */
    static <T> Forked<T> start(String name, Call<T> call) {
        return new Forked<>(name, call);
    }

    /** Starts {@code call} on a new thread and waits until it is parked (in a wait of the core, for the callers here). */
    static <T> Forked<T> parked(String name, Call<T> call) {
        Forked<T> forked = start(name, call);
        forked.awaitParked();
        return forked;
    }

    Thread thread() {
        return thread;
    }

    boolean isDone() {
        return result.isDone();
    }

    /**
     * Waits until the thread is parked, or fails. A thread that parks in the core's
     * {@code Condition.await} shows WAITING; the callers here start it on an object that nobody
     * else locks, so it is not parked on the lock instead.
     */
    void awaitParked() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);
        while (true) {
            Thread.State state = thread.getState();
            if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
                assertFalse(result.isDone(), "the call returned instead of waiting");
                return;
            }
            if (result.isDone()) {
                fail("the call returned instead of waiting: " + result);
            }
            if (System.nanoTime() > deadline) {
                fail(thread.getName() + " did not park within " + LIMIT_SECONDS + " s; state " + state);
            }
            Thread.onSpinWait();
        }
    }

    /** The call's result, waiting for it (bounded); fails if it threw. */
    T join() {
        Outcome<T> outcome = outcome();
        if (outcome.thrown() != null) {
            throw new AssertionError("the call threw", outcome.thrown());
        }
        return outcome.value();
    }

    /** What the call threw, waiting for it (bounded); fails if it returned or threw something else. */
    <X extends Throwable> X thrown(Class<X> type) {
        Outcome<T> outcome = outcome();
        if (outcome.thrown() == null) {
            throw new AssertionError("expected " + type.getSimpleName() + ", but the call returned " + outcome.value());
        }
        return assertInstanceOf(type, outcome.thrown());
    }

    private Outcome<T> outcome() {
        try {
            return result.get(LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        } catch (TimeoutException e) {
            throw new AssertionError(
                    thread.getName() + " did not return within " + LIMIT_SECONDS + " s; state " + thread.getState());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
