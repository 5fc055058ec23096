package dev.pyper.spi;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The turns of a keyed task's inputs (rules 10.10, 10.11): which keys are busy, and the inputs
 * that wait aside for each, in the order the task took them. Every executor keeps its keyed
 * tasks' turns with it, so that the same input runs next on all of them.
 *
 * <p>A worker that takes an input {@linkplain #claim claims} its key: if the key is free, the
 * worker holds it and invokes the input at once; if it is busy, the input waits aside and the
 * worker is free for the next input. A worker that has finished an input of its key asks for the
 * {@linkplain #next next} input waiting for that key and invokes it, or, when none waits, the
 * key is free again. So one key has at most one input in flight, its inputs run in the order
 * they were claimed, and a busy key never holds a worker idle.
 *
 * <p>Given the calling thread's {@link CallCounter}, the table also counts the task's waits for
 * its metrics (rule 10.10): a claim that finds its key busy counts one input delayed, and the
 * turn that takes a waiting input counts how long it waited since its claim.
 *
 * <p>Not thread-safe: the executor guards one instance per task per run with its own lock, as
 * it also bounds how many inputs wait aside (rule 10.11).
 *
 * @param <T> what the executor keeps of a waiting input (the input, with its sequence number)
 */
public final class KeyTurns<T> {

    /** The busy keys, each with the inputs waiting for it, oldest first. */
    private final Map<Object, ArrayDeque<Waiting<T>>> busy = new HashMap<>();

    private int waiting;

    /** An empty table: no key busy. */
    public KeyTurns() {}

    /** An input waiting aside, with the {@link System#nanoTime()} of its claim. */
    private record Waiting<T>(T input, long since) {}

    /**
     * Claims {@code key} for an input just taken, counting nothing.
     *
     * @param key the input's key, not null ({@link TaskSpec#keyOf})
     * @param input the input
     * @return true if the key was free: the caller now holds it and invokes the input; false if the
     *     input waits aside for the worker that holds the key
     */
    public boolean claim(Object key, T input) {
        return claim(key, input, null);
    }

    /**
     * Claims {@code key} for an input just taken; an input that waits aside is counted as delayed
     * by a busy key ({@link CallCounter#keyDelayed()}).
     *
     * @param key the input's key, not null ({@link TaskSpec#keyOf})
     * @param input the input
     * @param counter the calling thread's counter, or null to count nothing
     * @return true if the key was free: the caller now holds it and invokes the input; false if the
     *     input waits aside for the worker that holds the key
     */
    public boolean claim(Object key, T input, CallCounter counter) {
        ArrayDeque<Waiting<T>> queue = busy.get(key);
        if (queue == null) {
            busy.put(key, new ArrayDeque<>(2));
            return true;
        }
        queue.addLast(new Waiting<>(input, System.nanoTime()));
        waiting++;
        if (counter != null) {
            counter.keyDelayed();
        }
        return false;
    }

    /**
     * The next input of a key whose holder has finished one, counting nothing; see
     * {@link #next(Object, CallCounter)}.
     *
     * @param key a key the caller holds
     * @return the oldest input waiting for it, or null if none waits (the key is now free)
     */
    public T next(Object key) {
        return next(key, null);
    }

    /**
     * The next input of a key whose holder has finished one: it stays held by the caller, who
     * invokes that input; or, when none waits, the key is free again. The time the input waited
     * since its claim is counted ({@link CallCounter#keyWaited(long)}).
     *
     * @param key a key the caller holds
     * @param counter the calling thread's counter, or null to count nothing
     * @return the oldest input waiting for it, or null if none waits (the key is now free)
     */
    public T next(Object key, CallCounter counter) {
        ArrayDeque<Waiting<T>> queue = busy.get(key);
        Waiting<T> next = queue == null ? null : queue.pollFirst();
        if (next == null) {
            busy.remove(key);
            return null;
        }
        waiting--;
        if (counter != null) {
            counter.keyWaited(Math.max(0, System.nanoTime() - next.since()));
        }
        return next.input();
    }

    /**
     * Gives up a key whose holder stops for good (its run failed or was cancelled, or no one wants
     * its outputs any more): the inputs waiting for it are dropped, as every input still in a
     * run's buffers is when it ends early (section 4).
     *
     * @param key a key the caller holds
     * @return how many waiting inputs were dropped
     */
    public int drop(Object key) {
        ArrayDeque<Waiting<T>> queue = busy.remove(key);
        int dropped = queue == null ? 0 : queue.size();
        waiting -= dropped;
        return dropped;
    }

    /**
     * How many inputs wait aside for a busy key.
     *
     * @return the count, for the task's bound (rule 10.11) and its metrics
     */
    public int waiting() {
        return waiting;
    }

    /**
     * How many keys have an input in flight.
     *
     * @return the count
     */
    public int busyKeys() {
        return busy.size();
    }
}
