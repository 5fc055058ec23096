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
 * @param failed invocations that threw
 * @param busyWorkers workers inside the function now
 * @param buffered outputs waiting in the task's output buffer now
 * @param invocations calls of the function so far
 * @param meanTime mean time spent in one call of the function
 * @param p99Time the 99th percentile of that time, rounded up (by at most about 6%)
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
        Duration p99Time) {
}
