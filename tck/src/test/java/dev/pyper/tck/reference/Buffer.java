package dev.pyper.tck.reference;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The buffer between a task and the next one (or the caller): a queue bounded by the task's
 * throttle (0: unbounded), guarded by one lock with a condition for each side.
 *
 * <p>It ends when every producer (worker of the task that fills it) has said it is done; a
 * consumer then takes {@link #END} once the items are gone. {@link #cancel()} makes every put and
 * take throw {@link Stopped}, at once and also for a thread waiting; {@link #abandon()} says that
 * nobody will read it any more (rule 8.3): puts throw {@link Stopped}, items are dropped.
 *
 * <p>Nulls are stored as {@link #NULL}: the reader unwraps them with {@link #unwrap}.
 */
final class Buffer {

    /** What {@link #take()} returns once the buffer has ended and is empty. */
    static final Object END = new Object() {
        @Override
        public String toString() {
            return "END";
        }
    };

    /** Stands for a null item. */
    private static final Object NULL = new Object();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<Object> items = new ArrayDeque<>();
    private final int capacity;
    private final boolean endWakesEveryConsumer;
    private int producers;
    private boolean cancelled;
    private boolean abandoned;

    /**
     * @param capacity the most items held; 0 for unbounded
     * @param producers how many workers put into it
     * @param endWakesEveryConsumer whether its end wakes every waiting consumer (the reference) or one
     */
    Buffer(int capacity, int producers, boolean endWakesEveryConsumer) {
        this.capacity = capacity;
        this.producers = producers;
        this.endWakesEveryConsumer = endWakesEveryConsumer;
    }

    /**
     * Puts an item, waiting while the buffer is full.
     *
     * @param item the item, null included
     * @throws Stopped if the buffer is cancelled or abandoned, or the thread is interrupted (its flag set again)
     */
    void put(Object item) {
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            throw Stopped.interrupted();
        }
        try {
            while (true) {
                if (cancelled) {
                    throw new Stopped("the run is cancelled");
                }
                if (abandoned) {
                    throw new Stopped("nobody reads this task's outputs any more");
                }
                if (capacity == 0 || items.size() < capacity) {
                    break;
                }
                notFull.await();
            }
            items.add(item == null ? NULL : item);
            notEmpty.signal();
        } catch (InterruptedException e) {
            throw Stopped.interrupted();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the next item, waiting while the buffer is empty and has not ended.
     *
     * @return the item (wrapped: see {@link #unwrap}), or {@link #END}
     * @throws InterruptedException if the thread is interrupted while it waits
     * @throws Stopped if the buffer is cancelled
     */
    Object take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (true) {
                if (cancelled) {
                    throw new Stopped("the run is cancelled");
                }
                Object item = items.poll();
                if (item != null) {
                    notFull.signal();
                    return item;
                }
                if (producers == 0) {
                    return END;
                }
                notEmpty.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /** What {@link #takeUntil} returns when its deadline has passed and nothing was there. */
    static final Object DUE = new Object() {
        @Override
        public String toString() {
            return "DUE";
        }
    };

    /**
     * {@link #take()} for a batch task (rules 10.5, 10.8): also returns {@link #DUE} once
     * {@code due} holds and nothing is there; the timer that makes it hold calls {@link #wake()}.
     *
     * @param due whether the batch being filled must go
     * @return the item (wrapped), {@link #END} or {@link #DUE}
     * @throws InterruptedException if the thread is interrupted while it waits
     * @throws Stopped if the buffer is cancelled
     */
    Object takeUntil(java.util.function.BooleanSupplier due) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (true) {
                if (cancelled) {
                    throw new Stopped("the run is cancelled");
                }
                Object item = items.poll();
                if (item != null) {
                    notFull.signal();
                    return item;
                }
                if (producers == 0) {
                    return END;
                }
                if (due.getAsBoolean()) {
                    return DUE;
                }
                notEmpty.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the consumers, so that one in {@link #takeUntil} looks at its deadline again. */
    void wake() {
        lock.lock();
        try {
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** One producer is done; the last one ends the buffer. */
    void producerDone() {
        lock.lock();
        try {
            producers--;
            if (producers == 0) {
                if (endWakesEveryConsumer) {
                    notEmpty.signalAll();
                } else {
                    notEmpty.signal();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Every put and take throws from now on; waiting threads wake. */
    void cancel() {
        lock.lock();
        try {
            cancelled = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Nobody reads it any more: its items are dropped and puts throw. */
    void abandon() {
        lock.lock();
        try {
            abandoned = true;
            items.clear();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** @return whether {@link #abandon()} was called */
    boolean abandoned() {
        lock.lock();
        try {
            return abandoned;
        } finally {
            lock.unlock();
        }
    }

    /** @return the items held now */
    int size() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * An item as it was put.
     *
     * @param item what {@link #take()} returned (not {@link #END})
     * @return the item, null for a null one
     */
    static Object unwrap(Object item) {
        return item == NULL ? null : item;
    }

    /** Wraps a null item for a queue of one's own, as {@link #put} does. */
    static Object wrap(Object item) {
        return item == null ? NULL : item;
    }
}
