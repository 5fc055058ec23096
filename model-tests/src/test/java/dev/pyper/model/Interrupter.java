package dev.pyper.model;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Interrupts a caller thread for the INTERRUPT consumers: at once, or from another thread as soon
 * as the caller waits (inside a pull, since it waits nowhere else). Never interrupts after
 * {@link #disarm()}, so that an interrupt cannot leak into the next case.
 */
final class Interrupter {

    private final Thread caller;
    private final Object guard = new Object();
    private boolean armed;
    private boolean done;
    private boolean interrupted;
    private Thread watcher;

    Interrupter(Thread caller) {
        this.caller = caller;
    }

    boolean armed() {
        synchronized (guard) {
            return armed;
        }
    }

    /** Called by the caller: interrupts it now, or starts watching for it to wait. */
    void arm(boolean whileWaiting) {
        synchronized (guard) {
            armed = true;
            if (!whileWaiting) {
                interrupted = true;
                caller.interrupt();
                return;
            }
        }
        watcher = new Thread(this::watch, "model-interrupter");
        watcher.setDaemon(true);
        watcher.start();
    }

    private void watch() {
        while (true) {
            Thread.State state = caller.getState();
            synchronized (guard) {
                if (done) {
                    return;
                }
                if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
                    interrupted = true;
                    caller.interrupt();
                    return;
                }
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
        }
    }

    /** Called by the caller once it has the outcome: no interrupt comes after this. Returns whether one came. */
    boolean disarm() {
        synchronized (guard) {
            done = true;
        }
        if (watcher != null) {
            boolean wasInterrupted = Thread.interrupted();
            try {
                watcher.join();
            } catch (InterruptedException e) {
                throw new AssertionError("interrupted while joining the interrupter", e);
            } finally {
                if (wasInterrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        synchronized (guard) {
            return interrupted;
        }
    }
}
