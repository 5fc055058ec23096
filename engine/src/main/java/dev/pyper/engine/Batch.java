package dev.pyper.engine;

import java.util.ArrayDeque;

/**
 * A consumer worker's private cursor over the items it took from a {@link Channel} in one go.
 *
 * <p>Owned by one worker thread. A batch of capacity 1 takes one item at a time and holds no
 * capacity of the channel; a larger batch counts its items as held by the channel until it
 * starts them, and gives that capacity back every {@code releaseEvery} items (rule 2.6).
 */
final class Batch implements Invoker.Lookahead {

    private final Object[] items;
    private final int releaseEvery;
    private final Channel source;
    private int size;
    private int next;
    private int startedUnreleased;
    private long firstSequence;

    Batch(Channel source, int capacity) {
        this.source = source;
        this.items = new Object[capacity];
        this.releaseEvery = Math.max(1, capacity / 4);
    }

    int capacity() {
        return items.length;
    }

    /** Called by the channel under its lock. */
    void fill(ArrayDeque<Object> from, int n, long sequence) {
        for (int i = 0; i < n; i++) {
            items[i] = from.pollFirst();
        }
        size = n;
        next = 0;
        startedUnreleased = 0;
        firstSequence = sequence;
    }

    /** Capacity that the channel still counts as held for this batch; called under its lock. */
    int unreleased() {
        if (items.length == 1) {
            return 0;
        }
        int n = startedUnreleased;
        startedUnreleased = 0;
        return n;
    }

    /** How many items of this batch {@link #next()} has returned. */
    int started() {
        return next;
    }

    boolean hasNext() {
        return next < size;
    }

    /** The next item, started now: gives capacity back to the channel every few items. */
    Object next() {
        Object item = items[next];
        items[next++] = null;
        if (items.length > 1 && ++startedUnreleased >= releaseEvery) {
            source.release(startedUnreleased);
            startedUnreleased = 0;
        }
        return Channel.unwrap(item);
    }

    /** The items after the one that {@link #next()} returned last: the worker's next calls. */
    @Override
    public int size() {
        return size - next;
    }

    @Override
    public Object get(int i) {
        return Channel.unwrap(items[next + i]);
    }

    /** The sequence number of the item that {@link #next()} returned last, in channel order. */
    long lastSequence() {
        return firstSequence + next - 1;
    }
}
