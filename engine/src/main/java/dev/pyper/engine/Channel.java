package dev.pyper.engine;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The buffer between two stages: a multi-producer, multi-consumer queue that knows when its stream
 * has ended, when its consumers have gone, and when the run is cancelled.
 *
 * <h2>States</h2>
 * <ul>
 *   <li><b>open</b>: producers put, consumers take.</li>
 *   <li><b>ended</b>: every producer worker has called {@link #producerDone()}; consumers take
 *       what is left, then {@link #take} returns {@code false} (end of stream).</li>
 *   <li><b>stopped</b>: the stage that consumes this channel has no one left to pass outputs to
 *       (see {@link #consumerDone()}); {@link #take} returns {@code false} at once.</li>
 *   <li><b>abandoned</b>: every consumer worker has called {@link #consumerDone()}; items are
 *       dropped and {@link #put} throws {@link Signal#abandoned()}, which ends the producing worker
 *       quietly.</li>
 *   <li><b>cancelled</b>: the run failed or was closed; every wait wakes and every call throws
 *       {@link Signal#cancelled()}.</li>
 * </ul>
 *
 * <h2>Capacity (rule 2.6)</h2>
 * With a capacity {@code t > 0}, a put waits while {@code buffered + held >= t}. {@code held}
 * counts items that a batching consumer has taken but not yet started: a consumer with one worker
 * takes up to {@code batch} items under one lock and {@linkplain #release releases} them as it
 * starts them, so batching never lets the producer run further ahead than the throttle allows.
 * Consumers with several workers take one item at a time, so that every waiting input can reach
 * an idle worker (rule 2.5). A capacity of 0 is unbounded.
 *
 * <h2>Concurrency</h2>
 * All state is guarded by one {@link ReentrantLock} (never {@code synchronized}, so that virtual
 * threads waiting here do not pin their carrier). Signals are sent only when somebody waits,
 * which keeps the uncontended hand-off to a lock, an array store and an unlock.
 */
final class Channel {

    /** Stands for a {@code null} output, which the deque cannot hold (rule 2.2). */
    private static final Object NULL = new Object();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();

    @GuardedBy("lock")
    private final ArrayDeque<Object> items = new ArrayDeque<>();

    private final int capacity;

    @GuardedBy("lock")
    private int held;
    /**
     * Counted down without the lock: of thousands of workers that end at about the same time,
     * only the last one of a channel's producers (or consumers) needs its lock.
     */
    private final AtomicInteger openProducers;

    private final AtomicInteger openConsumers;

    @GuardedBy("lock")
    private long taken;
    /** Items dropped unread by cancellation or abandonment: with {@code taken} and the buffer, the count of puts. */
    @GuardedBy("lock")
    private long dropped;

    @GuardedBy("lock")
    private int waitingTakers;

    @GuardedBy("lock")
    private int waitingPutters;

    @GuardedBy("lock")
    private boolean stopped;

    @GuardedBy("lock")
    private boolean abandoned;
    /** Volatile for {@link #take}'s check without the lock once the channel is {@link #drained}. */
    private volatile boolean cancelled;
    /**
     * Every producer has ended and every item has been taken: set under the lock by a taker that
     * finds so, never unset. Lets the other takers of a stream that has ended (thousands of
     * workers, each asking once) learn it without the lock.
     */
    private volatile boolean drained;
    /** The consuming stage, when it starts its workers as inputs arrive; else null. */
    private LazyConsumers lazy;

    @GuardedBy("lock")
    private int lazyWorkers;

    @GuardedBy("lock")
    private int unstarted;

    /**
     * A consuming stage whose workers start one by one as inputs arrive, each with its first input
     * in hand (see {@link #consumeLazily}).
     */
    interface LazyConsumers {

        /**
         * Whether a new worker may start on the next input now; called under the channel's lock,
         * so it must not block. An ordered stage takes its reorder window's slot here, so that an
         * input is numbered only when its worker holds a slot (rule 3.3).
         */
        boolean reserve();

        /**
         * Starts worker number {@code worker} (from 1) with {@code item}, the channel's input
         * number {@code sequence}, as its first input; never throws.
         */
        void start(int worker, Object item, long sequence);

        /** Counts {@code workers} workers that will never start as ended. */
        void retire(int workers);
    }

    /**
     * @param capacity the throttle, 0 for unbounded
     * @param producers how many workers put into this channel
     * @param consumers how many workers take from it
     */
    Channel(int capacity, int producers, int consumers) {
        this.capacity = capacity == 0 ? Integer.MAX_VALUE : capacity;
        this.openProducers = new AtomicInteger(producers);
        this.openConsumers = new AtomicInteger(consumers);
    }

    /** A channel that holds one item and has already ended: the producer's input. */
    @SuppressWarnings("GuardedBy") // the new channel is not shared yet: no other thread can reach its items
    static Channel ofOne(Object item, int consumers) {
        Channel seed = new Channel(0, 0, consumers);
        seed.items.add(wrap(item));
        return seed;
    }

    /**
     * Lets the consuming stage start its {@code workers} workers lazily: while any are left to
     * start, a put after which more inputs would wait than there are idle workers to take them
     * starts a new worker with the oldest input in hand (the put's own item when none is queued,
     * so that no input overtakes one put before it). A run then starts only the workers its
     * inputs keep busy, each without a wait on this channel, and never leaves an input waiting
     * behind busy workers while a worker is left to start (rule 2.5). The end of the stream and a
     * stop retire the workers not started; so does the run's cancellation, through
     * {@link #retireUnstarted()}. Call before any item is put.
     */
    void consumeLazily(int workers, LazyConsumers stage) {
        lock.lock();
        try {
            lazy = stage;
            lazyWorkers = workers;
            unstarted = workers;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds one item, waiting while the channel is full.
     *
     * @throws InterruptedException if the worker is interrupted while waiting
     * @throws Signal if the run is cancelled or the consumers have gone
     */
    void put(Object item) throws InterruptedException {
        int starting = 0;
        long sequence = 0;
        lock.lock();
        try {
            while (true) {
                if (cancelled) {
                    throw Signal.cancelled();
                }
                if (abandoned) {
                    throw Signal.abandoned();
                }
                if (unstarted > 0 && items.size() >= waitingTakers && !stopped && lazy.reserve()) {
                    // an input would wait with no idle worker to take it: a new worker starts on the
                    // oldest input, taken at once and numbered next in channel order; this one queues behind
                    if (!items.isEmpty()) {
                        Object oldest = items.pollFirst();
                        items.addLast(wrap(item));
                        item = unwrap(oldest);
                    }
                    starting = lazyWorkers - --unstarted;
                    sequence = taken++;
                    if (waitingPutters > 0) {
                        notFull.signal(); // this put may have been woken for room it did not use: pass the wake-up on
                    }
                    break;
                }
                if (items.size() + held < capacity) {
                    items.addLast(wrap(item));
                    if (waitingTakers > 0) {
                        notEmpty.signal();
                    }
                    break;
                }
                waitingPutters++;
                try {
                    notFull.await();
                } finally {
                    waitingPutters--;
                }
            }
        } finally {
            lock.unlock();
        }
        if (starting > 0) {
            lazy.start(starting, item, sequence);
        }
    }

    /**
     * Moves up to {@code batch.capacity()} items into {@code batch}, waiting while the channel is
     * empty and not ended. Releases whatever the batch still holds first.
     *
     * @return {@code false} at the end of the stream
     * @throws InterruptedException if the worker is interrupted while waiting
     * @throws Signal if the run is cancelled
     */
    boolean take(Batch batch) throws InterruptedException {
        if (drained && batch.capacity() == 1) {
            // a batch of one holds no capacity to give back: nothing to do under the lock
            if (cancelled) {
                throw Signal.cancelled();
            }
            return false;
        }
        lock.lock();
        try {
            releaseLocked(batch.unreleased());
            while (true) {
                if (cancelled) {
                    throw Signal.cancelled();
                }
                if (stopped) {
                    return false;
                }
                if (!items.isEmpty()) {
                    break;
                }
                if (openProducers.get() == 0) {
                    drained = true;
                    return false;
                }
                waitingTakers++;
                try {
                    notEmpty.await();
                } finally {
                    waitingTakers--;
                }
            }
            int n = Math.min(batch.capacity(), items.size());
            batch.fill(items, n, taken);
            taken += n;
            if (batch.capacity() > 1) {
                held += n; // released as the consumer starts them
            } else if (waitingPutters > 0) {
                notFull.signal();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The take of a batch task (rule 10.5), apart from {@link #take} so that every other task's
     * hand-off stays as it is: moves up to {@code max} items into {@code into}, in channel order,
     * waiting while the channel is empty and not ended, unless {@code due} has passed. Items taken
     * here are the consumer's at once: none is counted as held, since a batch task's batch is
     * bounded by its size (rule 10.7).
     *
     * <p>{@code due} is set by a timer thread, which then calls {@link #wakeTakers()}; it is read
     * here under the lock, before each wait, so the timer's wake-up is never lost.
     *
     * @param into the batch being filled
     * @param max how many items it has room for, at least 1
     * @param due whether the batch must go now, checked when there is nothing to take
     * @return how many items were moved; 0 if {@code due} has passed and nothing was there; -1 at
     *     the end of the stream (or when the consumers are stopped)
     * @throws InterruptedException if the worker is interrupted while waiting
     * @throws Signal if the run is cancelled
     */
    int takeUntil(java.util.List<Object> into, int max, java.util.function.BooleanSupplier due)
            throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (cancelled) {
                    throw Signal.cancelled();
                }
                if (stopped) {
                    return -1;
                }
                if (!items.isEmpty()) {
                    break;
                }
                if (openProducers.get() == 0) {
                    drained = true;
                    return -1;
                }
                if (due.getAsBoolean()) {
                    return 0;
                }
                waitingTakers++;
                try {
                    notEmpty.await();
                } finally {
                    waitingTakers--;
                }
            }
            int n = Math.min(max, items.size());
            for (int i = 0; i < n; i++) {
                into.add(unwrap(items.pollFirst()));
            }
            taken += n;
            if (waitingPutters > 0) {
                if (n > 1) {
                    notFull.signalAll();
                } else {
                    notFull.signal();
                }
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the takers waiting in {@link #takeUntil}, so that they look at their deadline again. */
    void wakeTakers() {
        lock.lock();
        try {
            if (waitingTakers > 0) {
                notEmpty.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Gives back capacity for {@code n} items of a batch that the consumer has started. */
    void release(int n) {
        lock.lock();
        try {
            releaseLocked(n);
        } finally {
            lock.unlock();
        }
    }

    @GuardedBy("lock")
    private void releaseLocked(int n) {
        if (n > 0) {
            held -= n;
            if (waitingPutters > 0) {
                notFull.signalAll();
            }
        }
    }

    /** One producer worker has ended; the last one ends the stream. */
    void producerDone() {
        if (openProducers.decrementAndGet() > 0) {
            return;
        }
        int retired;
        lock.lock();
        try {
            // a taker that saw a producer open is waiting, or will see none open once it has the lock
            notEmpty.signalAll();
            retired = retireLocked();
        } finally {
            lock.unlock();
        }
        retire(retired);
    }

    /**
     * Takes the lazy consumers that have not started: no item will come that they would be
     * started for. Every item already put has a started worker that will come back for it.
     */
    @GuardedBy("lock")
    private int retireLocked() {
        int n = unstarted;
        unstarted = 0;
        return n;
    }

    /** Counts retired lazy consumers as ended; outside the lock, since it takes other locks. */
    private void retire(int workers) {
        if (workers > 0) {
            lazy.retire(workers);
        }
    }

    /**
     * Retires the lazy consumers not started yet: the consuming stage is going. A cancelled run
     * calls it once every channel is cancelled, so that the retired workers' ends cannot end a
     * stream as if it were complete.
     */
    void retireUnstarted() {
        int retired;
        lock.lock();
        try {
            retired = retireLocked();
        } finally {
            lock.unlock();
        }
        retire(retired);
    }

    /**
     * One consumer worker has ended. When the last one goes while producers are still open, the
     * channel is abandoned: its items are dropped and further puts end their workers quietly.
     *
     * @return whether this call abandoned the channel, so that the producing stage should stop
     */
    boolean consumerDone() {
        if (openConsumers.decrementAndGet() > 0) {
            return false;
        }
        lock.lock();
        try {
            if (openProducers.get() > 0 && !cancelled) {
                abandoned = true;
                dropped += items.size();
                items.clear();
                held = 0;
                notFull.signalAll();
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the stream for the consumers now: nobody downstream wants their outputs. */
    void stop() {
        int retired;
        lock.lock();
        try {
            stopped = true;
            notEmpty.signalAll();
            retired = retireLocked();
        } finally {
            lock.unlock();
        }
        retire(retired);
    }

    /** Wakes every waiting worker; from now on every call throws {@link Signal#cancelled()}. */
    void cancel() {
        lock.lock();
        try {
            cancelled = true;
            dropped += items.size();
            items.clear();
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** How many items consumers have taken so far, for metrics. */
    long takenCount() {
        lock.lock();
        try {
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /**
     * How many items producers have put so far, for metrics: counted as taken, buffered and
     * dropped rather than on every put, which keeps one more store out of the hand-off.
     */
    long putCount() {
        lock.lock();
        try {
            return taken + items.size() + dropped;
        } finally {
            lock.unlock();
        }
    }

    /** The number of items buffered now, for metrics and tests. */
    int buffered() {
        lock.lock();
        try {
            return items.size() + held;
        } finally {
            lock.unlock();
        }
    }

    private static Object wrap(Object item) {
        return item == null ? NULL : item;
    }

    static Object unwrap(Object item) {
        return item == NULL ? null : item;
    }
}
