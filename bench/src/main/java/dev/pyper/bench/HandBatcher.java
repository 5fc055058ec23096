package dev.pyper.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * W11's hand-written peer: what a user writes instead of {@code batch(size, maxWait)}. Three
 * platform threads joined by {@code ArrayBlockingQueue}s of 1024 items (the list queue holds 1024
 * items' worth of lists): a producer; a batcher that takes the first item of a list, then drains
 * what is there up to the list's room and polls with the time left until {@code maxWait} after
 * the first item, handing the list on when it is full or the time has passed, and the last one at
 * the end; a consumer that sums each list. An end marker ends each queue; the caller takes the
 * sums with a bound, so that a failure cannot hang it.
 */
final class HandBatcher {

    private static final Object END = new Object();
    private static final long STALL_SECONDS = 60;

    private HandBatcher() {}

    /**
     * One run.
     *
     * @return the sum of {@code 0 … n-1}
     */
    @SuppressWarnings("unchecked")
    static long run(int n, int size, Duration maxWait) throws Exception {
        BlockingQueue<Object> items = new ArrayBlockingQueue<>(QueueChainSubject.DEFAULT_CAPACITY);
        BlockingQueue<Object> lists = new ArrayBlockingQueue<>(Math.max(1, QueueChainSubject.DEFAULT_CAPACITY / size));
        BlockingQueue<Object> sums = new ArrayBlockingQueue<>(QueueChainSubject.DEFAULT_CAPACITY);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = List.of(
                start("producer", failure, () -> {
                    for (int i = 0; i < n; i++) {
                        items.put(i);
                    }
                    items.put(END);
                }),
                start("batcher", failure, () -> batch(items, lists, size, maxWait.toNanos())),
                start("consumer", failure, () -> {
                    for (Object list = lists.take(); list != END; list = lists.take()) {
                        int total = 0;
                        for (int x : (List<Integer>) list) {
                            total += x;
                        }
                        sums.put(total);
                    }
                    sums.put(END);
                }));
        long sum = 0;
        try {
            while (true) {
                Object total = sums.poll(STALL_SECONDS, TimeUnit.SECONDS);
                if (total == null) {
                    throw (TimeoutException)
                            new TimeoutException("no list summed for " + STALL_SECONDS + " s").initCause(failure.get());
                }
                if (total == END) {
                    break;
                }
                sum += (Integer) total;
            }
        } finally {
            for (Thread t : threads) {
                t.interrupt();
                t.join();
            }
        }
        return sum;
    }

    private static void batch(BlockingQueue<Object> items, BlockingQueue<Object> lists, int size, long maxWaitNanos)
            throws InterruptedException {
        List<Object> list = new ArrayList<>(size);
        long deadline = 0;
        boolean ended = false;
        while (!ended) {
            Object item;
            if (list.isEmpty()) {
                item = items.take();
                deadline = System.nanoTime() + maxWaitNanos;
            } else {
                item = items.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            }
            if (item == null) { // maxWait has passed
                lists.put(list);
                list = new ArrayList<>(size);
                continue;
            }
            if (item == END) {
                break;
            }
            list.add(item);
            items.drainTo(list, size - list.size());
            if (list.get(list.size() - 1) == END) {
                list.remove(list.size() - 1);
                ended = true;
            }
            if (list.size() == size || ended && !list.isEmpty()) {
                lists.put(list);
                list = new ArrayList<>(size);
            }
        }
        if (!list.isEmpty()) {
            lists.put(list);
        }
        lists.put(END);
    }

    /** A thread's body that may throw. */
    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }

    private static Thread start(String name, AtomicReference<Throwable> failure, Body body) {
        return Thread.ofPlatform().name("hand-batcher-" + name).start(() -> {
            try {
                body.run();
            } catch (InterruptedException e) {
                // ended by the caller
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        });
    }
}
