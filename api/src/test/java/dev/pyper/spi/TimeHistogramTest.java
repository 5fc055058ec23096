package dev.pyper.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class TimeHistogramTest {

    @Test
    void aStepsUpperBoundIsNeverBelowItsValuesAndAtMostAStepAbove() {
        for (long v : new long[] {
            0, 1, 15, 16, 17, 31, 32, 100, 1_000, 12_345, 999_999, 123_456_789, 9_876_543_210L, Long.MAX_VALUE
        }) {
            long upper = TimeHistogram.upperBound(TimeHistogram.bucket(v));
            assertTrue(upper >= v && upper <= Math.max(v, v + v / 16), v + " -> upper " + upper);
        }
    }

    @Test
    void stepsFollowEachOtherWithoutGapOrOverlap() {
        for (int b = 1; b < TimeHistogram.bucket(Long.MAX_VALUE); b++) {
            long previousUpper = TimeHistogram.upperBound(b - 1);
            assertEquals(b, TimeHistogram.bucket(previousUpper + 1), "step after " + previousUpper);
        }
    }

    @Test
    void percentilesOfAKnownSpread() {
        TimeHistogram h = new TimeHistogram();
        assertEquals(0, h.percentile(0.99));
        for (int i = 1; i <= 1000; i++) {
            h.record(i * 1_000L); // 1 µs .. 1 ms
        }
        h.record(-5); // counts as 0
        assertEquals(1001, h.count());
        long p99 = h.percentile(0.99);
        assertTrue(p99 >= 990_000 && p99 <= 990_000 * 1.07, "p99 " + p99);
        long p50 = h.percentile(0.5);
        assertTrue(p50 >= 500_000 && p50 <= 500_000 * 1.07, "p50 " + p50);
        assertEquals(TimeHistogram.upperBound(TimeHistogram.bucket(1_000_000)), h.percentile(1));
    }

    @Test
    void threadsRecordingAtOnceLoseNoSample() throws InterruptedException {
        TimeHistogram h = new TimeHistogram();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 10_000; i++) {
                    h.record(i % 64);
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(40_000, h.count());
    }

    @Test
    void aQuantileOutsideZeroToOneIsRefused() {
        TimeHistogram h = new TimeHistogram();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> h.percentile(1.5));
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> h.percentile(0));
        assertThrows(IllegalArgumentException.class, () -> h.percentile(Double.NaN));
    }
}
