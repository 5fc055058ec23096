package dev.pyper.tck;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.spi.PolicyClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A {@link PolicyClock} that the test moves by hand: a timer fires when {@link #advance} passes
 * its time, in the test's thread. Nothing sleeps on it.
 */
final class ManualClock implements PolicyClock {
    private final List<Timer> timers = new ArrayList<>();
    private long now;

    @Override
    public void sleep(long nanos) {
        throw new UnsupportedOperationException("a clock moved by hand has no sleep: what runs on it sets timers");
    }

    @Override
    public synchronized Future<?> schedule(Runnable action, long nanos) {
        Timer timer = new Timer(now + nanos, action);
        timers.add(timer);
        notifyAll();
        return timer;
    }

    /** Waits, bounded by the kit's timeout, until a timer is pending. */
    synchronized void awaitTimer() {
        long deadline = System.nanoTime() + Tck.timeout().toNanos();
        while (pending() == 0) {
            long left = deadline - System.nanoTime();
            assertTrue(left > 0, "no timer was set within " + Tck.timeout());
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for a timer", e);
            }
        }
    }

    /** The timers neither fired nor cancelled. */
    synchronized int pending() {
        return (int) timers.stream().filter(t -> !t.isDone()).count();
    }

    /** Moves time on by {@code by}, running every timer that falls due, earliest first, in this thread. */
    void advance(Duration by) {
        long until;
        synchronized (this) {
            until = now + by.toNanos();
        }
        while (true) {
            Timer due;
            synchronized (this) {
                due = timers.stream().filter(t -> !t.isDone() && t.at <= until).min((a, b) -> Long.compare(a.at, b.at))
                        .orElse(null);
                if (due == null) {
                    now = until;
                    return;
                }
                now = due.at;
            }
            due.fire();
        }
    }

    /** A pending action: done once fired or cancelled. */
    private static final class Timer extends CompletableFuture<Void> {
        final long at;
        private final Runnable action;

        Timer(long at, Runnable action) {
            this.at = at;
            this.action = action;
        }

        void fire() {
            if (complete(null)) {
                action.run();
            }
        }
    }
}
