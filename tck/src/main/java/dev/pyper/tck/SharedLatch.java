package dev.pyper.tck;

import java.io.Serializable;
import java.time.Duration;

/**
 * A count-down latch that a test and its functions share even when the functions run in other
 * processes of this machine (section 6); like {@code CountDownLatch}, it opens at 0 and stays open.
 * Waits go through {@link Tck#await(SharedLatch, String)} in the test and
 * {@link Tck#awaitInTask(SharedLatch)} in a function, bounded by {@link Tck#timeout()}.
 */
public final class SharedLatch implements Serializable {

    private static final long serialVersionUID = 1L;

    private final SharedCells.Cell cell = SharedCells.allocate();

    /**
     * A latch that opens after {@code count} calls of {@link #countDown()}.
     *
     * @param count at least 0
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public SharedLatch(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be 0 or more, was " + count);
        }
        cell.set(count);
    }

    /** Counts down once; does nothing once the latch is open. */
    public void countDown() {
        if (cell.addAndGet(-1) < 0) {
            cell.addAndGet(1);
        }
    }

    /**
     * The count still to go.
     *
     * @return 0 once the latch is open
     */
    public long getCount() {
        return Math.max(0, cell.get());
    }

    /**
     * Waits until the latch is open, or for at most {@code timeout}.
     *
     * @param timeout how long to wait at most
     * @return whether it opened in time
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return cell.awaitAtMost(0, timeout);
    }

    @Override
    public String toString() {
        return "SharedLatch[" + getCount() + " to go]";
    }
}
