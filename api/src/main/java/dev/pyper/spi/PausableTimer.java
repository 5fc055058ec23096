package dev.pyper.spi;

import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A timer on the {@link PolicyClock} whose time can stand still (rule 9.4): an attempt's limit, or
 * its grace, does not run while one of its outputs waits to be passed on. {@link #pause} keeps what
 * is left, {@link #resume} sets the timer again for it.
 *
 * <p>Its owner's lock guards it: every method is called holding that lock, and the action runs
 * holding it too, only if the timer it was set by is still the one running (a timer cancelled too
 * late changes nothing). A pause reads the time before it takes its timer off the clock, so no
 * instant is both without a pending timer and inside running time (the kit's manual clock relies on
 * it).
 */
final class PausableTimer {

    private final ReentrantLock lock;
    private final Runnable action;
    private final PolicyClock clock = PolicyClock.current();
    /** Guarded by {@code lock}, as are the fields below: what is left of the time, as of {@code since}. */
    private long left;

    private long since;
    /** Null while paused, stopped or fired. */
    private Future<?> due;
    /** Tells the timer running now from one set before the last pause or start. */
    private int generation;

    /**
     * A timer that runs {@code action} holding {@code lock} once its time is up.
     *
     * @param lock the owner's lock, held by every caller
     * @param action what to do when the time is up
     */
    PausableTimer(ReentrantLock lock, Runnable action) {
        this.lock = lock;
        this.action = action;
    }

    /** Starts {@code nanos} of time, in place of what was left. */
    void start(long nanos) {
        pause();
        left = nanos;
        resume();
    }

    /** Lets the time that was left run on; nothing if it is running. */
    void resume() {
        if (due != null) {
            return;
        }
        since = clock.nanoTime();
        int set = ++generation;
        Future<?> timer = clock.schedule(() -> fire(set), left); // a clock may run it at once, in this thread
        if (generation == set) {
            due = timer;
        }
    }

    /**
     * Stops the time, keeping what is left of it.
     *
     * @return whether it was running
     */
    boolean pause() {
        if (due == null) {
            return false;
        }
        left = Math.max(0, left - (clock.nanoTime() - since)); // the time read, then the timer off
        due.cancel(false);
        due = null;
        generation++;
        return true;
    }

    private void fire(int set) {
        lock.lock();
        try {
            if (set == generation) {
                due = null;
                generation++;
                action.run();
            }
        } finally {
            lock.unlock();
        }
    }
}
