package dev.pyper.spi;

import java.time.Duration;

/**
 * The invocations of one task made by one thread, counted so cheaply that run metrics can always
 * be on, as every executor keeps them (rule 8.5): one counter per thread that calls a task's
 * function, summed into a {@link Totals} when metrics are asked for, for the invocations, failures,
 * busy workers and function times of {@link dev.pyper.TaskMetrics}, and its counts of sections 9
 * and 10 (retries, a rate's and a key's waits).
 *
 * <p>Single writer: only the thread that owns a counter calls its counting methods, with plain
 * stores and no atomics. Any thread may read it; a read while the writer runs may lag, and once
 * the writer's thread has ended (or handed over through a lock or a join) it is exact.
 *
 * <p>Time in the function is sampled: every call while calls take {@value #ALWAYS_TIME_NANOS} ns
 * or more, the counter's first {@value #TIME_FIRST} calls, and then about one call in
 * {@value #SAMPLE_EVERY}, because two clock reads would cost more than a fast function. Callers
 * decide per call, or once per batch of calls, with {@link #timingDue()}; timed calls go to a
 * {@link TimeHistogram} that the task's counters share (for the p99).
 *
 * <p>{@code -Dpyper.metrics.calls=false} turns the counting into no-ops, which the JIT then
 * drops: it exists only for the benchmark that measures what counting costs, and leaves
 * invocations, failures, busy invocations and times at 0.
 */
public final class CallCounter {

    /** Whether counters count: always, unless {@code -Dpyper.metrics.calls=false} (for measurement only). */
    private static final boolean COUNTING = !"false".equals(System.getProperty("pyper.metrics.calls"));
    /** A call this slow or slower is always timed. */
    static final long ALWAYS_TIME_NANOS = 20_000;
    /** A counter times this many calls before it samples. */
    static final int TIME_FIRST = 64;
    /** A counter times one fast call in this many. */
    static final int SAMPLE_EVERY = 1024;

    private final TimeHistogram times;
    private long invocations;
    private long failed;
    private long retries;
    private long timeouts;
    private long skipped;
    private long deadLettered;
    private long rateDelayed;
    private long rateWaitNanos;
    private long keyDelayed;
    private long keyWaitNanos;
    private int busy;
    private long sampledNanos;
    private long samples;
    /** The last timed call was slow: time every call. */
    private boolean timeEvery;
    /** The count of invocations at which the next fast call is timed. */
    private long nextTiming;

    /**
     * A counter whose timed calls go to {@code times}.
     *
     * @param times the histogram shared by the task's counters
     */
    public CallCounter(TimeHistogram times) {
        this.times = times;
    }

    /**
     * Whether the next call is to be timed: while calls are slow, for the first few, then one in
     * {@value #SAMPLE_EVERY}.
     *
     * @return true to time it, with {@link #begin()} and {@link #end}, or with {@link #timed}
     */
    public boolean timingDue() {
        return COUNTING && (timeEvery || samples < TIME_FIRST || invocations >= nextTiming);
    }

    /**
     * A call begins.
     *
     * @return its start time (a {@link System#nanoTime()}, never 0) if it is to be timed, else 0
     */
    public long begin() {
        return timingDue() ? System.nanoTime() | 1 : 0;
    }

    /** Marks the thread busy, with a call or a batch of calls. */
    public void busy() {
        if (COUNTING) {
            busy = 1;
        }
    }

    /** Marks the thread idle: its call or batch is done. */
    public void idle() {
        if (COUNTING) {
            busy = 0;
        }
    }

    /** One more invocation under way, for a thread that has several at once (async completions). */
    public void started() {
        if (COUNTING) {
            busy++;
        }
    }

    /** One invocation fewer under way; see {@link #started()}. */
    public void finished() {
        if (COUNTING) {
            busy--;
        }
    }

    /**
     * Counts untimed calls that have ended.
     *
     * @param calls how many
     * @param threw whether the last of them failed
     */
    public void count(int calls, boolean threw) {
        if (!COUNTING) {
            return;
        }
        invocations += calls;
        if (threw) {
            failed++;
        }
    }

    /**
     * Counts a call that started at {@code started} and has ended now, timed.
     *
     * @param started its start, a {@link System#nanoTime()}
     * @param threw whether it failed
     */
    public void timed(long started, boolean threw) {
        if (!COUNTING) {
            return;
        }
        long nanos = System.nanoTime() - started;
        sampledNanos += nanos;
        samples++;
        timeEvery = nanos >= ALWAYS_TIME_NANOS;
        times.record(nanos);
        count(1, threw);
        nextTiming = invocations + SAMPLE_EVERY;
    }

    /**
     * Counts the call that {@link #begin()} started, timed if it returned a start time.
     *
     * @param started what {@link #begin()} returned
     * @param threw whether it failed
     */
    public void end(long started, boolean threw) {
        if (started != 0) {
            timed(started, threw);
        } else {
            count(1, threw);
        }
    }

    /** Counts an attempt that failed and is made again (rule 9.2). */
    public void retried() {
        retries++;
    }

    /** Counts an attempt that ran out of time (rule 9.4). */
    public void timedOut() {
        timeouts++;
    }

    /** Counts an input dropped after its invocation failed for good (rule 9.5). */
    public void skipped() {
        skipped++;
    }

    /** Counts an input handed to the dead-letter sink (rule 9.5). */
    public void deadLettered() {
        deadLettered++;
    }

    /**
     * Counts attempts that waited for a token of their task's rate before they started (rule 10.1).
     *
     * @param attempts how many attempts waited
     * @param nanos how long they waited in all, in nanoseconds of the {@link PolicyClock}
     */
    public void rateWaited(int attempts, long nanos) {
        rateDelayed += attempts;
        rateWaitNanos += nanos;
    }

    /**
     * Counts an input of a keyed task that found its key busy when it was taken, and so waits aside
     * for the input of its key before it (rule 10.10); called by the thread that took the input.
     */
    public void keyDelayed() {
        keyDelayed++;
    }

    /**
     * Counts how long an input waited for its key before its turn came (rule 10.10); called by the
     * thread that takes the turn.
     *
     * @param nanos how long, in nanoseconds of {@link System#nanoTime()}
     */
    public void keyWaited(long nanos) {
        keyWaitNanos += nanos;
    }

    /**
     * The figures of a task's counters added up.
     *
     * @param invocations invocations that ended
     * @param failed invocations that failed
     * @param busy invocations (or busy threads) under way
     * @param sampledNanos the function's time over the timed calls
     * @param samples how many calls were timed
     * @param retries attempts that failed and were made again (rule 9.2)
     * @param timeouts attempts that ran out of time (rule 9.4)
     * @param skipped inputs dropped after their invocation failed for good (rule 9.5)
     * @param deadLettered inputs handed to the dead-letter sink (rule 9.5)
     * @param rateDelayed attempts that waited for a token of the task's rate (rule 10.1)
     * @param rateWaitNanos how long they waited in all, in nanoseconds of the {@link PolicyClock}
     * @param keyDelayed inputs of a keyed task that found their key busy and waited for it (rule 10.10)
     * @param keyWaitNanos how long those inputs waited for their turns in all, in nanoseconds
     */
    public record Totals(
            long invocations,
            long failed,
            int busy,
            long sampledNanos,
            long samples,
            long retries,
            long timeouts,
            long skipped,
            long deadLettered,
            long rateDelayed,
            long rateWaitNanos,
            long keyDelayed,
            long keyWaitNanos)
            implements java.io.Serializable {

        /** Nothing counted. */
        public static final Totals NONE = new Totals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        /**
         * Totals without the counts of order per key (rules 10.10 to 10.14).
         *
         * @param invocations invocations that ended
         * @param failed invocations that failed
         * @param busy invocations (or busy threads) under way
         * @param sampledNanos the function's time over the timed calls
         * @param samples how many calls were timed
         * @param retries attempts that failed and were made again (rule 9.2)
         * @param timeouts attempts that ran out of time (rule 9.4)
         * @param skipped inputs dropped after their invocation failed for good (rule 9.5)
         * @param deadLettered inputs handed to the dead-letter sink (rule 9.5)
         * @param rateDelayed attempts that waited for a token of the task's rate (rule 10.1)
         * @param rateWaitNanos how long they waited in all, in nanoseconds of the {@link PolicyClock}
         */
        public Totals(
                long invocations,
                long failed,
                int busy,
                long sampledNanos,
                long samples,
                long retries,
                long timeouts,
                long skipped,
                long deadLettered,
                long rateDelayed,
                long rateWaitNanos) {
            this(
                    invocations,
                    failed,
                    busy,
                    sampledNanos,
                    samples,
                    retries,
                    timeouts,
                    skipped,
                    deadLettered,
                    rateDelayed,
                    rateWaitNanos,
                    0,
                    0);
        }

        /**
         * Totals without the counts of section 10.
         *
         * @param invocations invocations that ended
         * @param failed invocations that failed
         * @param busy invocations (or busy threads) under way
         * @param sampledNanos the function's time over the timed calls
         * @param samples how many calls were timed
         * @param retries attempts that failed and were made again (rule 9.2)
         * @param timeouts attempts that ran out of time (rule 9.4)
         * @param skipped inputs dropped after their invocation failed for good (rule 9.5)
         * @param deadLettered inputs handed to the dead-letter sink (rule 9.5)
         */
        public Totals(
                long invocations,
                long failed,
                int busy,
                long sampledNanos,
                long samples,
                long retries,
                long timeouts,
                long skipped,
                long deadLettered) {
            this(invocations, failed, busy, sampledNanos, samples, retries, timeouts, skipped, deadLettered, 0, 0);
        }

        /**
         * Totals without the counts of section 9.
         *
         * @param invocations invocations that ended
         * @param failed invocations that failed
         * @param busy invocations (or busy threads) under way
         * @param sampledNanos the function's time over the timed calls
         * @param samples how many calls were timed
         */
        public Totals(long invocations, long failed, int busy, long sampledNanos, long samples) {
            this(invocations, failed, busy, sampledNanos, samples, 0, 0, 0, 0);
        }

        /**
         * These totals and what {@code counter} says now.
         *
         * @param counter a counter of the same task
         * @return the sums
         */
        public Totals plus(CallCounter counter) {
            return new Totals(
                    invocations + counter.invocations,
                    failed + counter.failed,
                    busy + counter.busy,
                    sampledNanos + counter.sampledNanos,
                    samples + counter.samples,
                    retries + counter.retries,
                    timeouts + counter.timeouts,
                    skipped + counter.skipped,
                    deadLettered + counter.deadLettered,
                    rateDelayed + counter.rateDelayed,
                    rateWaitNanos + counter.rateWaitNanos,
                    keyDelayed + counter.keyDelayed,
                    keyWaitNanos + counter.keyWaitNanos);
        }

        /**
         * These totals and {@code other}'s: two parts of one task.
         *
         * @param other the other part
         * @return the sums
         */
        public Totals plus(Totals other) {
            return new Totals(
                    invocations + other.invocations,
                    failed + other.failed,
                    busy + other.busy,
                    sampledNanos + other.sampledNanos,
                    samples + other.samples,
                    retries + other.retries,
                    timeouts + other.timeouts,
                    skipped + other.skipped,
                    deadLettered + other.deadLettered,
                    rateDelayed + other.rateDelayed,
                    rateWaitNanos + other.rateWaitNanos,
                    keyDelayed + other.keyDelayed,
                    keyWaitNanos + other.keyWaitNanos);
        }

        /**
         * The function's mean time over the timed calls.
         *
         * @return the mean, or zero if no call was timed
         */
        public Duration meanTime() {
            return Duration.ofNanos(samples == 0 ? 0 : sampledNanos / samples);
        }
    }
}
