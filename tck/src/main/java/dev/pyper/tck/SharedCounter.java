package dev.pyper.tck;

import java.io.Serializable;

/**
 * A counter that a test and its functions share even when the functions run in other processes
 * of this machine (section 6): the kit's {@code AtomicInteger} and {@code AtomicBoolean}. Captured
 * by a lambda, it crosses to a worker process by serialization and still counts in the same place.
 *
 * <pre>{@code
 * SharedCounter calls = new SharedCounter();
 * run(Task.task((Integer x) -> { calls.incrementAndGet(); return x; }, multiprocess()), 1);
 * assertEquals(1, calls.get());
 * }</pre>
 */
public final class SharedCounter implements Serializable {

    private static final long serialVersionUID = 1L;

    private final SharedCells.Cell cell = SharedCells.allocate();

    /** A counter at 0. */
    public SharedCounter() {}

    /**
     * The value now.
     *
     * @return the value
     */
    public int get() {
        return (int) cell.get();
    }

    /**
     * Adds one.
     *
     * @return the new value
     */
    public int incrementAndGet() {
        return (int) cell.addAndGet(1);
    }

    /**
     * Takes one away.
     *
     * @return the new value
     */
    public int decrementAndGet() {
        return (int) cell.addAndGet(-1);
    }

    /**
     * Raises the value to {@code candidate} if that is larger.
     *
     * @param candidate a value
     * @return the value now: the larger of the two
     */
    public int max(int candidate) {
        return (int) cell.max(candidate);
    }

    /**
     * Sets the value: {@code set(1)} raises a flag.
     *
     * @param value the new value
     */
    public void set(int value) {
        cell.set(value);
    }

    /**
     * Whether the value is not 0: a raised flag.
     *
     * @return {@code get() != 0}
     */
    public boolean isSet() {
        return get() != 0;
    }

    @Override
    public String toString() {
        return "SharedCounter[" + get() + "]";
    }
}
