package dev.pyper.bench;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a user writes by hand instead of a pipeline library: one platform thread per worker,
 * stages joined by blocking queues, and an end marker that each stage passes on once its last
 * worker has seen it.
 *
 * <p>Invariants: a stage's input queue receives exactly one {@link #END} from upstream; the
 * worker that takes it puts it back for its siblings, and the last worker of the stage to stop
 * (counted by {@code live}) puts one {@code END} into the next queue. The caller drains the last
 * queue until {@code END}. A worker failure is recorded, every thread of the chain is
 * interrupted, and the caller, which polls with a timeout, throws it; so unlike the naive
 * version this chain never hangs.
 */
final class QueueChain {

    private static final Object END = new Object();

    /** One stage: its function and its number of worker threads. */
    record Stage(Step function, int workers) {}

    /** A stage's function of one item. */
    @FunctionalInterface
    interface Step {
        Object apply(Object item) throws Exception;
    }

    private final Supplier<BlockingQueue<Object>> queues;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /**
     * @param queues makes the queue in front of each stage and the caller
     */
    QueueChain(Supplier<BlockingQueue<Object>> queues) {
        this.queues = queues;
    }

    /**
     * Runs the chain once and hands every output of the last stage to {@code sink} on the
     * caller's thread; returns when every thread of the chain has ended.
     *
     * @param producer emits the items on the producer thread
     * @param stages the stages after the producer
     * @param sink the caller's consumer of the outputs
     * @throws Exception the first failure of any stage
     */
    void run(Consumer<Consumer<Object>> producer, List<Stage> stages, Consumer<Object> sink) throws Exception {
        BlockingQueue<Object> first = queues.get();
        start("producer", () -> {
            producer.accept(item -> put(first, item));
            put(first, END);
        });
        BlockingQueue<Object> in = first;
        for (int s = 0; s < stages.size(); s++) {
            Stage stage = stages.get(s);
            BlockingQueue<Object> input = in;
            BlockingQueue<Object> output = queues.get();
            AtomicInteger live = new AtomicInteger(stage.workers());
            for (int w = 0; w < stage.workers(); w++) {
                start("stage-" + s + "-" + w, () -> work(stage.function(), input, output, live));
            }
            in = output;
        }
        try {
            for (Object item = take(in); item != END; item = take(in)) {
                sink.accept(item);
            }
        } finally {
            threads.forEach(Thread::interrupt);
            for (Thread t : threads) {
                t.join();
            }
        }
    }

    private void work(Step function, BlockingQueue<Object> input, BlockingQueue<Object> output, AtomicInteger live)
            throws Exception {
        for (Object item = input.take(); ; item = input.take()) {
            if (item == END) {
                input.put(END);
                if (live.decrementAndGet() == 0) {
                    output.put(END);
                }
                return;
            }
            output.put(function.apply(item));
        }
    }

    private Object take(BlockingQueue<Object> queue) throws Exception {
        while (true) {
            Object item = queue.poll(100, TimeUnit.MILLISECONDS);
            if (item != null) {
                return item;
            }
            Throwable t = failure.get();
            if (t instanceof Exception e) {
                throw e;
            } else if (t != null) {
                throw new IllegalStateException("A stage of the queue chain failed", t);
            }
        }
    }

    private static void put(BlockingQueue<Object> queue, Object item) {
        try {
            queue.put(item);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void start(String name, Body body) {
        threads.add(Thread.ofPlatform().name("abq-" + name).start(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                if (failure.compareAndSet(null, t)) {
                    threads.forEach(Thread::interrupt);
                }
            }
        }));
    }

    /** A thread's body that may throw. */
    private interface Body {
        void run() throws Exception;
    }

    /**
     * A chain whose queues hold {@code capacity} items each.
     *
     * @param capacity an {@code ArrayBlockingQueue}'s capacity, or 0 for unbounded
     *     {@code LinkedBlockingQueue}s
     * @return the chain, for one run
     */
    static QueueChain withCapacity(int capacity) {
        return new QueueChain(capacity == 0 ? LinkedBlockingQueue::new : () -> new ArrayBlockingQueue<>(capacity));
    }
}
