package dev.pyper.tck;

import dev.pyper.spi.PolicyClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Assertions;

/**
 * A {@link PolicyClock} whose time stands still until the test moves it with {@link #advance}:
 * the section 10 tests count what a rate lets through at each instant, exactly, with no sleep and
 * whatever the machine's load. It knows who waits on it: threads in {@link #sleep} and timers set
 * with {@link #schedule} and not yet fired or cancelled.
 *
 * <p>As real time would, a sleep or a timer counts from the time its thread last read, if it read
 * the time since its last sleep or timer: a worker that reserves a token at {@code t} and only then
 * goes to sleep, after the test has moved the clock on, still wakes at {@code t + wait}, not one
 * interval late. Otherwise it counts from now.
 *
 * <p>Everything is guarded by one {@code ReentrantLock} (never {@code synchronized}, so that a
 * virtual thread waiting here does not pin its carrier); a sleep waits on its condition,
 * interruptibly. Timers that {@link #advance} makes due run on the advancing thread, in the order
 * of their due times, after the lock is released.
 */
final class ManualClock implements PolicyClock {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Guarded by {@code lock}, as are the fields below. */
    private long now;

    private int sleepers;
    private final List<Timer> timers = new ArrayList<>();
    /** The time this thread last read, until its next sleep or timer counts from it. */
    @SuppressWarnings("ThreadLocalUsage") // each clock its own: a test's clock sees only reads of itself
    private final ThreadLocal<Read> lastRead = new ThreadLocal<>();
    /** Counts the timers taken off the clock (fired or cancelled): a read belongs to the count it was made in. */
    private long removals;
    /** Threads whose last read, made since the last timer was taken off, no sleep or timer has counted from yet. */
    private int freshReads;

    /** A thread's reading of the time, and the count of removals then. */
    private record Read(long at, long removals) {}

    @Override
    public long nanoTime() {
        lock.lock();
        try {
            Read before = lastRead.get();
            if (before == null || before.removals != removals) {
                freshReads++;
            }
            lastRead.set(new Read(now, removals));
            return now;
        } finally {
            lock.unlock();
        }
    }

    /** The time a sleep or timer of this thread counts from, {@code nanos} on; called holding the lock. */
    private long until(long nanos) {
        Read read = lastRead.get();
        lastRead.remove();
        if (read != null && read.removals == removals) {
            freshReads--;
        }
        long from = read == null ? now : read.at;
        return nanos > Long.MAX_VALUE - from ? Long.MAX_VALUE : from + Math.max(0, nanos);
    }

    /** A timer has been taken off the clock; called holding the lock. */
    private void removed() {
        removals++;
        freshReads = 0; // reads made before it are old from now on
        changed.signalAll();
    }

    @Override
    public void sleep(long nanos) throws InterruptedException {
        if (nanos <= 0) {
            lastRead.remove();
            return;
        }
        lock.lockInterruptibly();
        try {
            long until = until(nanos);
            sleepers++;
            changed.signalAll();
            try {
                while (now < until) {
                    changed.await();
                }
            } finally {
                sleepers--;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public java.util.concurrent.Future<?> schedule(Runnable action, long nanos) {
        Timer timer;
        lock.lock();
        try {
            timer = new Timer(action, until(nanos));
            if (timer.at > now) {
                timers.add(timer);
                changed.signalAll();
                return timer;
            }
        } finally {
            lock.unlock();
        }
        timer.run(); // due already: its thread read the time before the test moved the clock past it
        return timer;
    }

    /**
     * Moves the time on by {@code nanos}: wakes the sleepers whose time has come, then runs the
     * timers that are due, in this thread.
     *
     * @param nanos how far, 0 or more
     */
    void advance(long nanos) {
        List<Timer> due = new ArrayList<>();
        lock.lock();
        try {
            now += nanos;
            for (Timer timer : List.copyOf(timers)) {
                if (timer.at <= now) {
                    timers.remove(timer);
                    removed();
                    due.add(timer);
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        due.sort(Comparator.comparingLong(timer -> timer.at));
        due.forEach(Timer::run);
    }

    /**
     * Moves the time on by {@code by}, as {@link #advance(long)} does: a batch's {@code maxWait}
     * (rule 10.8) fires here.
     *
     * @param by how far, zero or more
     */
    void advance(Duration by) {
        advance(by.toNanos());
    }

    /**
     * The timers set and neither fired nor cancelled.
     *
     * @return their number
     */
    int pending() {
        lock.lock();
        try {
            return timers.size();
        } finally {
            lock.unlock();
        }
    }

    /** Waits, bounded by {@link Tck#timeout()}, until a timer is pending. */
    void awaitTimer() {
        long deadline = System.nanoTime() + Tck.timeout().toNanos();
        lock.lock();
        try {
            while (timers.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    Assertions.fail("no timer was set within " + Tck.timeout());
                }
                changed.await(left, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a timer", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits, bounded by {@link Tck#timeout()}, for an instant when no timer is pending and no thread
     * has read the time since the last timer was taken off without setting a timer or sleeping on it
     * yet (none is between reading the time and setting its timer), and moves the time on by
     * {@code nanos} at that instant, so that no timer set before it can fall due: rule 9.4's tests
     * move the time while an attempt's limit stands still (read, then cancelled).
     *
     * @param nanos how far, 0 or more
     * @param what what no timer pending means, for the failure's message
     */
    void advanceWhenNoTimer(long nanos, String what) {
        long deadline = System.nanoTime() + Tck.timeout().toNanos();
        lock.lock();
        try {
            while (!timers.isEmpty() || freshReads > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    Assertions.fail("a timer stayed pending for " + Tck.timeout() + ": expected " + what);
                }
                changed.await(left, TimeUnit.NANOSECONDS);
            }
            now += nanos;
            changed.signalAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Who waits on this clock now: threads asleep and timers pending.
     *
     * @return their number
     */
    int waiting() {
        lock.lock();
        try {
            return sleepers + timers.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits, bounded by {@link Tck#timeout()}, until {@code state} holds of {@code calls} and the
     * clock's waiters, checked whenever the waiters change and every millisecond meanwhile; fails at
     * once if {@code tooMany} holds of {@code calls}.
     *
     * @param calls counts what the rate lets through
     * @param state the state to wait for: calls counted and waiters
     * @param tooMany calls that no correct rate lets through by now
     * @param what the state, for the failure's message
     */
    void await(SharedCounter calls, State state, IntPredicate tooMany, String what) {
        long deadline = System.nanoTime() + Tck.timeout().toNanos();
        lock.lock();
        try {
            while (true) {
                int seen = calls.get();
                if (tooMany.test(seen)) {
                    Assertions.fail("more invocations started than the rate allows: " + seen + " while expecting "
                            + what + " (" + (sleepers + timers.size()) + " waiting on the clock)");
                }
                if (state.holds(seen, sleepers, timers.size())) {
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    Assertions.fail("timed out after " + Tck.timeout() + " waiting for " + what + "; saw " + seen
                            + " invocations and " + (sleepers + timers.size()) + " waiting on the clock");
                }
                changed.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        } finally {
            lock.unlock();
        }
    }

    /** A state of the invocations counted and of the waiters on the clock. */
    @FunctionalInterface
    interface State {
        /**
         * Whether this is the state.
         *
         * @param calls the invocations counted
         * @param sleepers the threads asleep on the clock
         * @param timers the timers pending on it
         * @return true if it is
         */
        boolean holds(int calls, int sleepers, int timers);
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "ManualClock[" + now + " ns]";
        } finally {
            lock.unlock();
        }
    }

    /** A pending timer: cancelling it takes it off the clock. */
    private final class Timer extends FutureTask<Void> {
        final long at;

        Timer(Runnable action, long at) {
            super(action, null);
            this.at = at;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            lock.lock();
            try {
                if (timers.remove(this)) {
                    removed();
                }
            } finally {
                lock.unlock();
            }
            return cancelled;
        }
    }
}
