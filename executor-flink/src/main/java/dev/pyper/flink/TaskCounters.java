package dev.pyper.flink;

import dev.pyper.spi.CallCounter;
import dev.pyper.spi.TimeHistogram;
import java.io.Serializable;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One task's run metrics (rule 8.5) in one JVM: on the embedded cluster all its subtasks', on a
 * remote one an operator's own. Items in and out, and the invocations as {@link CallCounter}s.
 *
 * <p>Kept as the engine keeps them, so that they cost next to nothing on the path of every item:
 * each thread that calls the function writes {@link Counts} of its own with plain stores, and a
 * snapshot sums them with plain reads. A snapshot taken while the job runs may lag a little; once
 * the job is terminal every subtask and thread of it has ended, and the figures are exact.
 */
final class TaskCounters {

    private final TimeHistogram times = new TimeHistogram();
    private final Queue<Counts> writers = new ConcurrentLinkedQueue<>();

    /** Counts for one more writing thread, to be written by that thread only. */
    Counts writer() {
        Counts counts = new Counts(new CallCounter(times));
        writers.add(counts);
        return counts;
    }

    /** The sums over the task's writers, and its p99. */
    Sums sums() {
        long in = 0;
        long out = 0;
        CallCounter.Totals calls = CallCounter.Totals.NONE;
        for (Counts c : writers) {
            in += c.in;
            out += c.out;
            calls = calls.plus(c.calls);
        }
        return new Sums(in, out, calls, times.percentile(0.99));
    }

    /**
     * A task's figures at one moment; serializable, since a remote run's cross from its
     * TaskManagers as Flink accumulators ({@link TaskAccumulator}).
     *
     * @param in items that reached the function
     * @param out items passed on
     * @param calls the invocations
     * @param p99Nanos the 99th percentile of the timed calls
     */
    record Sums(long in, long out, CallCounter.Totals calls, long p99Nanos) implements Serializable {

        /** Nothing counted yet. */
        static final Sums ZERO = new Sums(0, 0, CallCounter.Totals.NONE, 0);

        /**
         * The figures of two parts of a task (subtasks on different TaskManagers) together. Their
         * histograms stay where they are: the p99 is the larger of the two, an upper bound of the
         * whole's.
         */
        Sums plus(Sums other) {
            return new Sums(
                    in + other.in, out + other.out, calls.plus(other.calls), Math.max(p99Nanos, other.p99Nanos));
        }
    }

    /** One writer's counts: plain fields, written by one thread at a time (see the class comment). */
    static final class Counts {
        private final CallCounter calls;
        private long in;
        private long out;

        private Counts(CallCounter calls) {
            this.calls = calls;
        }

        /** The counter of this writer's invocations, for the failure policy's counts (section 9). */
        CallCounter calls() {
            return calls;
        }

        /** An input reached the function. */
        void itemIn() {
            in++;
        }

        /** The function passed an output on. */
        void itemOut() {
            out++;
        }

        /** The function passed {@code n} outputs on. */
        void itemsOut(int n) {
            out += n;
        }

        /** An invocation starts: returns its start time if it is to be timed, else 0, for {@link #ended}. */
        long started() {
            calls.started();
            return calls.begin();
        }

        /** The invocation that {@link #started()} has ended; {@code threw} if it failed. */
        void ended(long started, boolean threw) {
            calls.finished();
            calls.end(started, threw);
        }
    }
}
