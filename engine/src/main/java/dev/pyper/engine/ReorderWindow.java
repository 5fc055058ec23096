package dev.pyper.engine;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.pyper.Emitter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps an {@code ordered()} task's outputs in input order while its workers run concurrently
 * (rule 3.3).
 *
 * <h2>How</h2>
 * A worker {@linkplain #enter() takes a slot} before it takes an input; the input's sequence
 * number is its position in the input channel. The worker whose input is the oldest unfinished
 * one (the <em>head</em>) emits straight to the next task; every other worker keeps its outputs
 * in a private buffer. When a worker {@linkplain #complete finishes} the head, it flushes the
 * buffers of the finished inputs that follow, in order, then hands the head on. So the outputs
 * of input k all precede those of input k+1, and a branch task's outputs still stream while it
 * is the head.
 *
 * <h2>Bounds</h2>
 * There are as many slots as workers, and a slot is given back only when its input's outputs
 * have been passed on; so at most {@code workers} inputs are in flight or finished-but-held, and
 * their sequence numbers lie in {@code [head, head + workers)}: a ring of that size holds them.
 *
 * <h2>Cancellation</h2>
 * A worker waiting for a slot wakes on an interrupt, and also on {@link #cancel()}, which the run
 * calls when it ends early (with its channels' cancellation): a worker whose interrupt was taken by
 * the call it made before (an interrupt that a function, or a failure policy's last attempt, took
 * for its own) must not wait here for a slot that no one will give back.
 *
 * <h2>Threads</h2>
 * {@code head} is written under the lock and read without it (volatile) by workers deciding
 * whether to emit directly. A buffer belongs to its worker until {@link #complete}, which hands
 * it over under the lock. Only the head's worker, or the thread flushing finished buffers under
 * the lock, ever emits, so the two never interleave.
 */
final class ReorderWindow {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition slotFree = lock.newCondition();
    private final int slots;

    @GuardedBy("lock")
    private final List<Object>[] finished;

    private final Emitter<Object> out;
    private volatile long head;

    @GuardedBy("lock")
    private int inUse;

    private boolean cancelled;

    @SuppressWarnings({"unchecked", "rawtypes"}) // an array of a generic type can only be made raw
    ReorderWindow(int slots, Emitter<Object> out) {
        this.slots = slots;
        this.finished = new List[slots];
        this.out = out;
    }

    /**
     * Takes a slot for the next input, waiting while every slot is in use.
     *
     * @throws InterruptedException if the worker is interrupted while waiting
     * @throws Signal if the run is cancelled
     */
    void enter() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (inUse >= slots) {
                if (cancelled) {
                    throw Signal.cancelled();
                }
                slotFree.await();
            }
            inUse++;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes a slot for the next input if one is free, without waiting: for an input handed to a
     * worker as it starts (see {@link Channel#consumeLazily}), which must hold its slot before the
     * input is numbered.
     */
    boolean tryEnter() {
        if (!lock.tryLock()) {
            return false;
        }
        try {
            if (inUse >= slots) {
                return false;
            }
            inUse++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Gives back a slot that took no input (the stream had ended). */
    void leave() {
        lock.lock();
        try {
            inUse--;
            slotFree.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every worker waiting for a slot; from now on a wait for one throws {@link Signal#cancelled()}. */
    void cancel() {
        lock.lock();
        try {
            cancelled = true;
            slotFree.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The emitter for the input with this sequence number: direct while it is the head, else buffered. */
    Emitter<Object> emitterFor(long sequence) {
        return new InputEmitter(sequence);
    }

    /**
     * Marks the input done and passes on, in order, every finished input from the head on.
     *
     * @param emitter the emitter that {@link #emitterFor} gave for the input
     */
    @SuppressWarnings("NonAtomicVolatileUpdate") // head is written only under the lock; volatile for its readers
    void complete(Emitter<Object> emitter) throws InterruptedException {
        InputEmitter done = (InputEmitter) emitter;
        lock.lockInterruptibly();
        try {
            finished[(int) (done.sequence % slots)] = done.buffer == null ? List.of() : done.buffer;
            while (true) {
                int at = (int) (head % slots);
                List<Object> outputs = finished[at];
                if (outputs == null) {
                    break;
                }
                for (Object o : outputs) {
                    out.emit(o);
                }
                finished[at] = null;
                head++;
                inUse--;
                slotFree.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    private final class InputEmitter implements Emitter<Object> {
        final long sequence;
        List<Object> buffer;

        InputEmitter(long sequence) {
            this.sequence = sequence;
        }

        @Override
        public void emit(Object output) {
            if (head == sequence) {
                if (buffer != null && !buffer.isEmpty()) {
                    for (Object o : buffer) {
                        out.emit(o);
                    }
                    buffer.clear();
                }
                out.emit(output);
            } else {
                if (buffer == null) {
                    buffer = new ArrayList<>();
                }
                buffer.add(output);
            }
        }
    }
}
