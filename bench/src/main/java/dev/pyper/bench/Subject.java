package dev.pyper.bench;

/**
 * One contender: a Pyper executor or a peer (a hand-written queue chain, Reactor, the JDK's
 * {@code mapConcurrent}), able to run the shapes of work that the workloads need. Every
 * contender runs the same work with the same N; each method returns a checksum of the outputs
 * that the caller verifies, so that no contender can skip work.
 *
 * <p>A contender that has no way to express a shape throws {@link UnsupportedOperationException}
 * with the reason, which the report shows instead of a number.
 */
public interface Subject extends AutoCloseable {

    /**
     * The short name in the tables, such as {@code threads} or {@code abq-chain}.
     *
     * @return the name
     */
    String name();

    /**
     * One line on what the contender is and how it runs the work.
     *
     * @return the description
     */
    String description();

    /**
     * Whether this is a Pyper executor (held to the targets) rather than a peer.
     *
     * @return true for a Pyper executor
     */
    boolean isPyper();

    /**
     * Whether the contender runs blocking work on virtual threads, so that 10,000 concurrent
     * workers are reasonable.
     *
     * @return true for virtual-thread contenders
     */
    boolean virtualThreads();

    /**
     * Whether every item crosses to other processes (the process executor). Such a contender is
     * measured on the hand-off and run-overhead workloads for information, not held to their
     * in-JVM targets.
     *
     * @return true for the process executor
     */
    default boolean crossesProcesses() {
        return false;
    }

    /**
     * How many times fewer items (W1, W4) or runs (W5) this contender gets, because each item
     * costs it far more than the others (a new virtual thread per element, a round trip to another
     * process), so that the whole benchmark stays within minutes. Per-item figures do not depend
     * on N at these sizes; the tables show the N used.
     *
     * @return 1 for most contenders
     */
    default int itemDivisor() {
        return 1;
    }

    /**
     * How many times fewer runs this contender gets in W5, where a run costs it far more than the
     * others (starting worker processes).
     *
     * @return 1 for most contenders
     */
    default int runDivisor() {
        return 1;
    }

    /**
     * Why this contender sits out a case, or null if it runs it.
     *
     * @param workload {@code W1} … {@code W6}
     * @param workers the case's workers per task
     * @return the reason, or null
     */
    default String declines(String workload, int workers) {
        return null;
    }

    /**
     * W1: a producer of {@code n} Integers → x+1 → x*2, one worker each, summed by the caller.
     *
     * @param n the number of items
     * @param bound each buffer's capacity, 0 for the contender's unbounded default
     * @return the sum of the outputs, {@code n * (n + 1)}
     * @throws Exception if the run fails
     */
    long handOff(int n, int bound) throws Exception;

    /**
     * W2, W3, W6: a producer of {@code n} Integers → {@code work} with {@code workers} concurrent
     * invocations, summed by the caller.
     *
     * @param n the number of items
     * @param workers concurrent invocations of {@code work}
     * @param ordered whether outputs must keep input order
     * @param work the work per item
     * @return the sum of the outputs
     * @throws Exception if the run fails
     */
    long parallelMap(int n, int workers, boolean ordered, Work work) throws Exception;

    /**
     * W4: a producer of {@code n} fresh {@code byte[1024]} → their lengths, summed by the caller.
     *
     * @param n the number of arrays
     * @param bound each buffer's capacity, 0 for unbounded
     * @return {@code n * 1024}
     * @throws Exception if the run fails
     */
    long memory(int n, int bound) throws Exception;

    /**
     * W5: one whole run of a three-task pipeline (identity → x+1 → x*2) on a single item.
     *
     * @param item the item
     * @return {@code (item + 1) * 2}
     * @throws Exception if the run fails
     */
    long oneRun(int item) throws Exception;

    /**
     * W11: a producer of {@code n} Integers → lists of at most {@code size} (handed on when full,
     * after {@code maxWait}, or at the end) → the sum of each list, one worker each, summed by the
     * caller; buffers of 1024 items.
     *
     * @param n the number of items
     * @param size the most items of a list
     * @param maxWait how long a list waits for more items after its first
     * @return the sum of the items, {@code n * (n - 1) / 2}
     * @throws Exception if the run fails
     * @throws UnsupportedOperationException if the contender has no way to batch
     */
    default long batched(int n, int size, java.time.Duration maxWait) throws Exception {
        throw new UnsupportedOperationException(name() + " has no batching of its own");
    }

    /**
     * W13: the numbers {@code 0 … n-1} through a task of {@code workers} workers whose invocations
     * start at most {@code perSecond} a second, with a burst of {@code burst}.
     *
     * @return the sum of the outputs, as a checksum
     * @throws Exception if the run fails
     * @throws UnsupportedOperationException if the contender has no rate limit of its own
     */
    default long rateLimited(int n, double perSecond, int burst, int workers) throws Exception {
        throw new UnsupportedOperationException(name() + " has no rate limit of its own");
    }

    /**
     * W14: the numbers {@code 0 … n-1} through a task of {@code workers} workers that adds one,
     * with the inputs of one key {@code x % keys} one at a time, in order; no key if {@code keys}
     * is 0.
     *
     * @return the sum of the outputs, as a checksum
     * @throws Exception if the run fails
     * @throws UnsupportedOperationException if the contender has no order per key of its own
     */
    default long keyed(int n, int keys, int workers) throws Exception {
        throw new UnsupportedOperationException(name() + " has no order per key of its own");
    }

    /** Ends every thread or scheduler that the contender holds. */
    @Override
    void close();
}
