package dev.pyper.flink;

import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded hand-over from an embedded job's last operator to the caller's thread (rule 2.1):
 * the sink puts, the caller takes. When it is full the sink waits, and Flink's back-pressure
 * pauses the job behind it; so memory stays bounded however slowly the caller pulls.
 *
 * <p>The channel is ended once, by the job's end (normal or not): the caller then takes what
 * remains and sees the end. {@link #cancel()} wakes a sink waiting for room. Thread-safe.
 */
final class OutputChannel {

    /** What {@link #take} returns once the channel has ended and is empty. */
    static final Object END = new Object();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<Object> items;
    private final int capacity;
    private boolean ended;
    private boolean cancelled;

    OutputChannel(int capacity) {
        this.capacity = capacity;
        this.items = new ArrayDeque<>(capacity);
    }

    /**
     * Puts one output, waiting for room.
     *
     * @throws CancellationException if the run was cancelled
     * @throws InterruptedException if the sink's thread is interrupted (Flink cancels the job)
     */
    void put(Object value) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (items.size() >= capacity && !cancelled) {
                notFull.await();
            }
            if (cancelled) {
                throw new CancellationException("the run was cancelled");
            }
            items.add(value == null ? NullValue.INSTANCE : value);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the next output, waiting for one or for the end.
     *
     * @return the output, or {@link #END}
     * @throws InterruptedException if the caller is interrupted
     */
    Object take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (items.isEmpty() && !ended) {
                notEmpty.await();
            }
            Object value = items.poll();
            if (value == null) {
                return END;
            }
            notFull.signal();
            return value == NullValue.INSTANCE ? null : value;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the channel: takers see the end once it is empty. */
    void end() {
        lock.lock();
        try {
            ended = true;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Drops what is buffered and refuses further puts; ends the channel. */
    void cancel() {
        lock.lock();
        try {
            cancelled = true;
            ended = true;
            items.clear();
            notFull.signalAll();
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stands for a {@code null} output in the queue (rule 8.4). */
    private enum NullValue {
        INSTANCE
    }
}
