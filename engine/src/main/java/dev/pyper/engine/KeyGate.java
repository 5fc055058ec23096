package dev.pyper.engine;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.pyper.spi.CallCounter;
import dev.pyper.spi.KeyTurns;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/*
 * Overview
 *
 * A keyed task (rules 10.10, 10.11) runs the inputs of one key one at a time, in the order its
 * workers took them, and the inputs of different keys at once. The turns are a KeyTurns table:
 * a worker that takes an input claims its key; if the key is free it invokes the input, and then,
 * one after another, every input that waits aside for that key (its *chain*), until none waits and
 * the key is free. An input whose key is busy waits aside and its worker goes back for the next
 * input, so a busy key never holds a free worker nor another key behind it.
 *
 * The bound: before it takes an input, a worker takes a *ticket*; tickets plus inputs waiting aside
 * are at most `workers`. A worker that invokes its input gives its ticket back; an input that waits
 * aside keeps it until its turn comes. So at most `workers` inputs wait aside; past that, free
 * workers wait for a ticket, take nothing, and the input channel fills, which pauses the task
 * before (rule 2.6). The worker holding a key never needs a ticket to go on with its chain, and
 * each input of the chain it runs frees one: no wait here can last unless the run is stuck
 * downstream, whose end or cancellation wakes it.
 *
 * Takes: a worker takes its input, asks for its key and claims it while it holds the gate's take
 * lock, so that the claims of a key come in the order its inputs were taken (two workers that took
 * two inputs of one key must not claim it the other way round). The key function thereby runs
 * one input at a time; a worker waiting for the lock would be waiting for an input anyway.
 *
 * Cancellation: tickets are waited for with the run's interrupt, and also woken by cancel(), which
 * the run calls with its channels' cancellation, as the reorder window's slots are.
 *
 * Metrics: KeyTurns counts the inputs that wait aside, and how long they waited, in the counter
 * of the worker that claims or takes them (rule 10.10), under the lock.
 *
 * Threads: everything is guarded by the lock; workers hold it only to take or give a ticket, to
 * claim a key or to ask for the next input of a chain, never while invoking.
 */

/** The turns and bound of a keyed task's workers in one run: see the overview above. */
final class KeyGate {

    /** An input taken from the channel, with its sequence number for an ordered task's window. */
    record Taken(Object item, long sequence) {}

    private final ReentrantLock lock = new ReentrantLock();
    /** Held from a worker's take of an input to its claim of the input's key (see the overview). */
    private final ReentrantLock takes = new ReentrantLock();

    private final Condition ticketFree = lock.newCondition();
    private final int limit;

    @GuardedBy("lock")
    private final KeyTurns<Taken> turns = new KeyTurns<>();

    @GuardedBy("lock")
    private int tickets;

    @GuardedBy("lock")
    private boolean cancelled;

    /** @param limit the most inputs that wait aside, and tickets, at once: the task's workers */
    KeyGate(int limit) {
        this.limit = limit;
    }

    /**
     * Takes a ticket before taking an input, waiting while {@code limit} inputs wait aside or are
     * being taken.
     *
     * @throws InterruptedException if the worker is interrupted while waiting
     * @throws Signal if the run is cancelled
     */
    void enter() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (tickets + turns.waiting() >= limit) {
                if (cancelled) {
                    throw Signal.cancelled();
                }
                ticketFree.await();
            }
            tickets++;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts a take: the caller, holding a ticket, takes an input, asks for its key and claims it
     * (or gives its ticket back) before {@link #endTake()}.
     *
     * @throws InterruptedException if the worker is interrupted while another one takes
     */
    void beginTake() throws InterruptedException {
        takes.lockInterruptibly();
    }

    /** Ends a take begun by {@link #beginTake()}. */
    void endTake() {
        takes.unlock();
    }

    /** Gives back a ticket that took no input (the stream had ended, or the take was cut short). */
    void leave() {
        lock.lock();
        try {
            tickets--;
            ticketFree.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Claims the key of an input taken with a ticket: true if the caller now holds the key and
     * invokes the input (its ticket is given back), false if the input waits aside (with the
     * ticket), counted in the caller's {@code counter} as delayed by a busy key (rule 10.10).
     */
    boolean claim(Object key, Taken taken, CallCounter counter) {
        lock.lock();
        try {
            tickets--;
            if (turns.claim(key, taken, counter)) {
                ticketFree.signal();
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next input of the caller's key, which it invokes now, its wait counted in the caller's
     * {@code counter}; or null, and the key is free.
     */
    Taken next(Object key, CallCounter counter) {
        lock.lock();
        try {
            Taken taken = turns.next(key, counter);
            if (taken != null) {
                ticketFree.signal();
            }
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Gives up the caller's key for good, dropping the inputs that wait for it: its worker stops
     * because the run ends or no one wants the task's outputs any more (rule 8.3).
     */
    void drop(Object key) {
        lock.lock();
        try {
            if (turns.drop(key) > 0) {
                ticketFree.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** How many inputs wait aside for a busy key now. */
    int waiting() {
        lock.lock();
        try {
            return turns.waiting();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every worker waiting for a ticket; from now on a wait for one throws {@link Signal#cancelled()}. */
    void cancel() {
        lock.lock();
        try {
            cancelled = true;
            ticketFree.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
