package dev.pyper;

import java.time.Duration;

/**
 * What one task of a run has done so far: a snapshot, read while the run is going or after it
 * ended (then exact).
 *
 * <p>Counts are taken by the workers as they go and read without stopping them, so a snapshot of
 * a running task may be a few items behind, never ahead. Function times are measured on a sample
 * of invocations (every one for slow functions, a fraction for very fast ones) so that metrics
 * stay cheap on the hot path.
 *
 * @param name the task's name (rule 1.7)
 * @param workers the task's worker count
 * @param itemsIn inputs taken so far (for a join: items read from its input stream)
 * @param itemsOut outputs passed on so far
 * @param failed invocations that failed for good and failed the run: a retried attempt, a skipped
 *     or a dead-lettered input is not counted here (rule 9.6)
 * @param busyWorkers workers inside the function now
 * @param buffered outputs waiting in the task's output buffer now
 * @param invocations invocations of the function so far, one per input however many attempts it
 *     took (rule 9.6)
 * @param meanTime mean time spent in one invocation of the function, its attempts and backoffs included
 * @param p99Time the 99th percentile of that time, rounded up (by at most about 6%)
 * @param retries attempts that failed and were made again (rule 9.2); not in {@code failed}
 * @param timeouts attempts that ran out of time (rule 9.4), retried or not
 * @param skipped inputs dropped after their invocation failed for good (rule 9.5)
 * @param deadLettered inputs handed to the dead-letter sink (rule 9.5)
 * @param rateDelayed attempts that waited for a token of the task's rate before they started
 *     (rule 10.1); 0 for a task without a rate
 * @param rateWaited how long those attempts waited for their tokens in all, on the
 *     {@link dev.pyper.spi.PolicyClock}: what the rate has held the task back by
 * @param keyDelayed inputs of a {@code byKey} task that found their key busy when the task took
 *     them, another input of that key being invoked, and so waited aside for their turn
 *     (rule 10.10); 0 for a task without a key
 * @param keyWaited how long those inputs waited for their turns in all, from the take to the start
 *     of the turn, in the time of {@link System#nanoTime()}: what busy keys have held the task's
 *     inputs back by (an input dropped while it waited, its run ending, counts in
 *     {@code keyDelayed} and not here)
 */
public record TaskMetrics(
        String name,
        int workers,
        long itemsIn,
        long itemsOut,
        long failed,
        int busyWorkers,
        int buffered,
        long invocations,
        Duration meanTime,
        Duration p99Time,
        long retries,
        long timeouts,
        long skipped,
        long deadLettered,
        long rateDelayed,
        Duration rateWaited,
        long keyDelayed,
        Duration keyWaited) {

    /**
     * Metrics of a task without the counts of order per key (rules 10.10 to 10.14).
     *
     * @param name the task's name
     * @param workers the task's worker count
     * @param itemsIn inputs taken so far
     * @param itemsOut outputs passed on so far
     * @param failed invocations that failed for good
     * @param busyWorkers workers inside the function now
     * @param buffered outputs waiting in the task's output buffer now
     * @param invocations invocations of the function so far
     * @param meanTime mean time spent in one invocation of the function
     * @param p99Time the 99th percentile of that time
     * @param retries attempts that failed and were made again
     * @param timeouts attempts that ran out of time
     * @param skipped inputs dropped after their invocation failed for good
     * @param deadLettered inputs handed to the dead-letter sink
     * @param rateDelayed attempts that waited for a token of the task's rate
     * @param rateWaited how long those attempts waited for their tokens in all
     */
    public TaskMetrics(
            String name,
            int workers,
            long itemsIn,
            long itemsOut,
            long failed,
            int busyWorkers,
            int buffered,
            long invocations,
            Duration meanTime,
            Duration p99Time,
            long retries,
            long timeouts,
            long skipped,
            long deadLettered,
            long rateDelayed,
            Duration rateWaited) {
        this(
                name,
                workers,
                itemsIn,
                itemsOut,
                failed,
                busyWorkers,
                buffered,
                invocations,
                meanTime,
                p99Time,
                retries,
                timeouts,
                skipped,
                deadLettered,
                rateDelayed,
                rateWaited,
                0,
                Duration.ZERO);
    }

    /**
     * Metrics of a task without the counts of section 10 (a rate's and a key's waits).
     *
     * @param name the task's name
     * @param workers the task's worker count
     * @param itemsIn inputs taken so far
     * @param itemsOut outputs passed on so far
     * @param failed invocations that failed for good
     * @param busyWorkers workers inside the function now
     * @param buffered outputs waiting in the task's output buffer now
     * @param invocations invocations of the function so far
     * @param meanTime mean time spent in one invocation of the function
     * @param p99Time the 99th percentile of that time
     * @param retries attempts that failed and were made again
     * @param timeouts attempts that ran out of time
     * @param skipped inputs dropped after their invocation failed for good
     * @param deadLettered inputs handed to the dead-letter sink
     */
    public TaskMetrics(
            String name,
            int workers,
            long itemsIn,
            long itemsOut,
            long failed,
            int busyWorkers,
            int buffered,
            long invocations,
            Duration meanTime,
            Duration p99Time,
            long retries,
            long timeouts,
            long skipped,
            long deadLettered) {
        this(
                name,
                workers,
                itemsIn,
                itemsOut,
                failed,
                busyWorkers,
                buffered,
                invocations,
                meanTime,
                p99Time,
                retries,
                timeouts,
                skipped,
                deadLettered,
                0,
                Duration.ZERO,
                0,
                Duration.ZERO);
    }

    /**
     * Metrics of a task without the counts of section 9 (retries, timeouts, skips, dead letters).
     *
     * @param name the task's name
     * @param workers the task's worker count
     * @param itemsIn inputs taken so far
     * @param itemsOut outputs passed on so far
     * @param failed invocations that threw
     * @param busyWorkers workers inside the function now
     * @param buffered outputs waiting in the task's output buffer now
     * @param invocations calls of the function so far
     * @param meanTime mean time spent in one call of the function
     * @param p99Time the 99th percentile of that time
     */
    public TaskMetrics(
            String name,
            int workers,
            long itemsIn,
            long itemsOut,
            long failed,
            int busyWorkers,
            int buffered,
            long invocations,
            Duration meanTime,
            Duration p99Time) {
        this(
                name,
                workers,
                itemsIn,
                itemsOut,
                failed,
                busyWorkers,
                buffered,
                invocations,
                meanTime,
                p99Time,
                0,
                0,
                0,
                0,
                0,
                Duration.ZERO,
                0,
                Duration.ZERO);
    }
}
