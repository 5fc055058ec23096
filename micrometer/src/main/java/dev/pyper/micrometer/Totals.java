package dev.pyper.micrometer;

import java.util.List;

/**
 * What the runs a binding watches have done, summed: the one value every meter of the binding
 * reads its number from.
 *
 * @param tasks per task, in pipeline order
 * @param activeRuns runs that are going
 * @param endedRuns runs that have ended
 * @param endedNanos the summed durations of the ended runs
 * @param elapsedNanos the elapsed time of the run (one run), or of the oldest active run (0 when none)
 */
record Totals(List<TaskTotals> tasks, int activeRuns, long endedRuns, long endedNanos, long elapsedNanos) {

    /**
     * One task's sums.
     *
     * @param callNanos the time spent in the function, estimated as the sampled mean times the
     *     calls, and never less than it was at an earlier read
     * @param p99Nanos the 99th percentile of one call's time
     * @param survived the failures the task survived (SPEC section 9)
     */
    record TaskTotals(
            long itemsIn,
            long itemsOut,
            long calls,
            long failed,
            double callNanos,
            long p99Nanos,
            int workers,
            int busy,
            int buffered,
            Survived survived) {}

    /**
     * A task's counts of SPEC sections 9 and 10, summed.
     *
     * @param retries attempts made again
     * @param timeouts attempts that ran out of time
     * @param skipped inputs dropped after they failed for good
     * @param deadLettered inputs handed to the dead-letter sink
     * @param rateDelayed attempts that waited for a token of the task's rate
     * @param rateWaitNanos how long they waited in all
     * @param keyDelayed inputs that waited for a busy key
     * @param keyWaitNanos how long they waited in all
     */
    record Survived(
            long retries,
            long timeouts,
            long skipped,
            long deadLettered,
            long rateDelayed,
            long rateWaitNanos,
            long keyDelayed,
            long keyWaitNanos) {

        /** Nothing survived yet. */
        static final Survived NONE = new Survived(0, 0, 0, 0, 0, 0, 0, 0);

        /** What one task's metrics say. */
        static Survived of(dev.pyper.TaskMetrics t) {
            return new Survived(
                    t.retries(),
                    t.timeouts(),
                    t.skipped(),
                    t.deadLettered(),
                    t.rateDelayed(),
                    t.rateWaited().toNanos(),
                    t.keyDelayed(),
                    t.keyWaited().toNanos());
        }

        Survived plus(Survived o) {
            return new Survived(
                    retries + o.retries,
                    timeouts + o.timeouts,
                    skipped + o.skipped,
                    deadLettered + o.deadLettered,
                    rateDelayed + o.rateDelayed,
                    rateWaitNanos + o.rateWaitNanos,
                    keyDelayed + o.keyDelayed,
                    keyWaitNanos + o.keyWaitNanos);
        }
    }
}
