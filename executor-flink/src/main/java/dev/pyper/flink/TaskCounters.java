package dev.pyper.flink;

import dev.pyper.spi.TimeHistogram;
import java.io.Serializable;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One task's run metrics on the embedded cluster (rule 8.5), whose subtasks run in the caller's
 * JVM: items in and out, invocations, failed invocations, busy invocations and the function's
 * time.
 *
 * <p>Kept as the engine keeps them, so that they cost next to nothing on the path of every item:
 * each thread that calls the function writes {@link Counts} of its own with plain stores, and a
 * snapshot sums them with plain reads. A snapshot taken while the job runs may lag a little; once
 * the job is terminal every subtask and thread of it has ended, and the figures are exact. The
 * function's time is sampled: every call while calls take {@value #ALWAYS_TIME_NANOS} ns or more,
 * a writer's first {@value #TIME_FIRST} calls, and then one call in {@value #SAMPLE_EVERY}, since
 * two clock reads would cost more than a fast function. Samples go to a histogram shared by the
 * task's writers (for the p99).
 */
final class TaskCounters {

    private static final long ALWAYS_TIME_NANOS = 20_000;
    private static final int TIME_FIRST = 64;
    private static final int SAMPLE_EVERY = 256;

    private final TimeHistogram times = new TimeHistogram();
    private final Queue<Counts> writers = new ConcurrentLinkedQueue<>();

    /** Counts for one more writing thread, to be written by that thread only. */
    Counts writer() {
        Counts counts = new Counts(times);
        writers.add(counts);
        return counts;
    }

    /** The sums over the task's writers, and its p99. */
    Sums sums() {
        long in = 0;
        long out = 0;
        long invocations = 0;
        long failed = 0;
        int busy = 0;
        long sampledNanos = 0;
        long samples = 0;
        for (Counts c : writers) {
            in += c.in;
            out += c.out;
            invocations += c.invocations;
            failed += c.failed;
            busy += c.busy;
            sampledNanos += c.sampledNanos;
            samples += c.samples;
        }
        return new Sums(in, out, invocations, failed, busy, sampledNanos, samples, times.percentile(0.99));
    }

    /**
     * A task's figures at one moment; serializable, since a remote run's cross from its
     * TaskManagers as Flink accumulators ({@link TaskAccumulator}).
     *
     * @param in items that reached the function
     * @param out items passed on
     * @param invocations invocations that ended
     * @param failed invocations that failed
     * @param busy invocations under way
     * @param sampledNanos the function's time over the timed calls
     * @param samples how many calls were timed
     * @param p99Nanos the 99th percentile of the timed calls
     */
    record Sums(long in, long out, long invocations, long failed, int busy, long sampledNanos, long samples, long p99Nanos)
            implements Serializable {

        /** Nothing counted yet. */
        static final Sums ZERO = new Sums(0, 0, 0, 0, 0, 0, 0, 0);

        /** The function's mean time over the timed calls. */
        long meanNanos() {
            return samples == 0 ? 0 : sampledNanos / samples;
        }

        /**
         * The figures of two parts of a task (subtasks on different TaskManagers) together. Their
         * histograms stay where they are: the p99 is the larger of the two, an upper bound of the
         * whole's.
         */
        Sums plus(Sums other) {
            return new Sums(in + other.in, out + other.out, invocations + other.invocations, failed + other.failed,
                    busy + other.busy, sampledNanos + other.sampledNanos, samples + other.samples,
                    Math.max(p99Nanos, other.p99Nanos));
        }
    }

    /** One writer's counts: plain fields, written by one thread at a time (see the class comment). */
    static final class Counts {
        private final TimeHistogram times;
        long in;
        long out;
        long invocations;
        long failed;
        int busy;
        long sampledNanos;
        long samples;
        /** The last timed call was slow: time every call. */
        private boolean timeEvery;
        /** The count of invocations at which the next fast call is timed. */
        private long nextTiming;

        private Counts(TimeHistogram times) {
            this.times = times;
        }

        /** An input reached the function. */
        void itemIn() {
            in++;
        }

        /** The function passed an output on. */
        void itemOut() {
            out++;
        }

        /** An invocation starts: returns its start time if it is to be timed, else 0, for {@link #ended}. */
        long started() {
            busy++;
            return timeEvery || samples < TIME_FIRST || invocations >= nextTiming ? System.nanoTime() | 1 : 0;
        }

        /** The invocation that {@link #started()} has ended, normally or not. */
        void ended(long started) {
            busy--;
            invocations++;
            if (started != 0) {
                long nanos = System.nanoTime() - started;
                sampledNanos += nanos;
                samples++;
                timeEvery = nanos >= ALWAYS_TIME_NANOS;
                nextTiming = invocations + SAMPLE_EVERY;
                times.record(nanos);
            }
        }

        /** An invocation failed. */
        void failed() {
            failed++;
        }
    }
}
