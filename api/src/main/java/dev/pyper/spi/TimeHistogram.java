package dev.pyper.spi;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A histogram of durations in nanoseconds, for the run metrics that every executor keeps
 * (rule 8.5): the p99 of a task's function time in {@link dev.pyper.TaskMetrics#p99Time()}. Thread-safe; any
 * number of threads may record into one histogram while another reads a percentile.
 *
 * <p>Log-linear: 16 steps per power of two, exact below 16 ns. A percentile is the upper bound
 * of the step it falls in, so it is never below the samples it covers and at most about 6 %
 * above them. Rows of 16 counts are made when their first sample comes, so an unused histogram
 * costs a small array, and a histogram that sees calls of similar length a few rows.
 */
public final class TimeHistogram {

    private static final int SUB_BUCKET_BITS = 4;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    private static final int BUCKETS = (64 - SUB_BUCKET_BITS + 1) * SUB_BUCKETS;

    private final AtomicReferenceArray<AtomicLongArray> rows = new AtomicReferenceArray<>(BUCKETS / SUB_BUCKETS);

    /** Makes an empty histogram. */
    public TimeHistogram() {}

    /**
     * Counts one duration.
     *
     * @param nanos the duration in nanoseconds; a negative one counts as 0
     */
    public void record(long nanos) {
        int bucket = bucket(nanos);
        int row = bucket / SUB_BUCKETS;
        AtomicLongArray counts = rows.get(row);
        if (counts == null) {
            rows.compareAndSet(row, null, new AtomicLongArray(SUB_BUCKETS));
            counts = rows.get(row);
        }
        counts.incrementAndGet(bucket % SUB_BUCKETS);
    }

    /**
     * The {@code q} quantile of the durations counted so far, rounded up to the upper bound of its
     * step (at most about 6 % above the true value).
     *
     * @param q the quantile, from 0 (exclusive) to 1, e.g. 0.99
     * @return the quantile in nanoseconds, or 0 if nothing was counted
     * @throws IllegalArgumentException if {@code q} is not in (0, 1]
     */
    public long percentile(double q) {
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be in (0, 1], was " + q);
        }
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += count(i);
            if (seen >= rank) {
                return upperBound(i);
            }
        }
        return upperBound(BUCKETS - 1); // counts grew while we read
    }

    /**
     * How many durations were counted.
     *
     * @return the count so far
     */
    public long count() {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += count(i);
        }
        return total;
    }

    private long count(int bucket) {
        AtomicLongArray counts = rows.get(bucket / SUB_BUCKETS);
        return counts == null ? 0 : counts.get(bucket % SUB_BUCKETS);
    }

    static int bucket(long nanos) {
        long v = Math.max(0, nanos);
        if (v < SUB_BUCKETS) {
            return (int) v;
        }
        int magnitude = 63 - Long.numberOfLeadingZeros(v);
        int sub = (int) (v >>> (magnitude - SUB_BUCKET_BITS)) & (SUB_BUCKETS - 1);
        return (magnitude - SUB_BUCKET_BITS + 1) * SUB_BUCKETS + sub;
    }

    /** The largest value that falls in {@code bucket}: a percentile is reported rounded up, never below a sample it covers. */
    static long upperBound(int bucket) {
        if (bucket < SUB_BUCKETS) {
            return bucket;
        }
        int magnitude = bucket / SUB_BUCKETS + SUB_BUCKET_BITS - 1;
        long width = 1L << (magnitude - SUB_BUCKET_BITS);
        long low = (1L << magnitude) + ((long) (bucket % SUB_BUCKETS) << (magnitude - SUB_BUCKET_BITS));
        return low + width - 1;
    }
}
