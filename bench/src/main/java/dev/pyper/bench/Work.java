package dev.pyper.bench;

import java.io.Serializable;

/**
 * The work of one item in W2, W3 and W6: serializable, so that it also crosses to the worker
 * processes of the process executor.
 */
@FunctionalInterface
public interface Work extends Serializable {

    /**
     * Does the work for one item.
     *
     * @param item the item
     * @return a value derived from the item, summed by the caller as a checksum
     * @throws Exception if interrupted
     */
    int apply(int item) throws Exception;

    /**
     * Blocking IO stand-in: sleeps, then returns the item.
     *
     * @param millis how long each item sleeps
     */
    record Sleep(long millis) implements Work {
        @Override
        public int apply(int item) throws InterruptedException {
            Thread.sleep(millis);
            return item;
        }
    }

    /**
     * Deterministic CPU work: {@code iterations} rounds of xorshift seeded by the item. The
     * result depends on every round, so the JIT cannot drop the loop.
     *
     * @param iterations rounds per item
     */
    record Spin(long iterations) implements Work {
        @Override
        public int apply(int item) {
            long x = item * 0x9E3779B97F4A7C15L + 1;
            for (long i = 0; i < iterations; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
            }
            return (int) (x & 0xFF);
        }

        /**
         * Finds the number of rounds that takes about {@code target} on this machine, on a warm JIT.
         *
         * @param targetNanos the wanted time per item
         * @return the calibrated work
         */
        static Spin calibrated(long targetNanos) {
            Spin probe = new Spin(2_000_000);
            long best = Long.MAX_VALUE;
            int sink = 0;
            for (int round = 0; round < 15; round++) {
                long start = System.nanoTime();
                sink += probe.apply(round);
                best = Math.min(best, System.nanoTime() - start);
            }
            if (sink == Integer.MIN_VALUE) {
                System.out.print("");
            }
            return new Spin(Math.max(1, probe.iterations * targetNanos / Math.max(1, best)));
        }
    }
}
