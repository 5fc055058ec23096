package dev.pyper.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CallCounterTest {

    @Test
    void fastCallsAreTimedAtFirstAndThenSampled() {
        TimeHistogram times = new TimeHistogram();
        CallCounter counter = new CallCounter(times);
        int timed = 0;
        for (int i = 0; i < 10_000; i++) {
            long started = counter.begin();
            if (started != 0) {
                timed++;
            }
            counter.end(started, false); // a call of well under 20 µs
        }
        CallCounter.Totals totals = CallCounter.Totals.NONE.plus(counter);
        assertEquals(10_000, totals.invocations());
        assertEquals(timed, totals.samples());
        assertEquals(timed, times.count());
        // the first 64, then one in 1,024 (9 more); a call the machine delays past 20 µs adds a timed call or two
        assertTrue(timed >= CallCounter.TIME_FIRST + 9 && timed <= CallCounter.TIME_FIRST + 60, "timed " + timed);
    }

    @Test
    void aSlowCallIsFollowedByTimingEveryCall() {
        CallCounter counter = new CallCounter(new TimeHistogram());
        for (int i = 0; i < CallCounter.TIME_FIRST; i++) {
            counter.end(counter.begin(), false);
        }
        assertFalse(counter.timingDue(), "fast calls: sampled from now on");
        counter.timed(System.nanoTime() - CallCounter.ALWAYS_TIME_NANOS, false); // a call of at least 20 µs
        assertTrue(counter.timingDue(), "after a slow call, the next is timed");
    }

    @Test
    void failuresBusyAndTotalsAddUp() {
        TimeHistogram times = new TimeHistogram();
        CallCounter a = new CallCounter(times);
        CallCounter b = new CallCounter(times);
        a.busy();
        a.count(5, true);
        b.started();
        b.started();
        b.finished();
        b.timed(System.nanoTime() - 1_000_000, false);
        CallCounter.Totals totals = CallCounter.Totals.NONE.plus(a).plus(b);
        assertEquals(6, totals.invocations());
        assertEquals(1, totals.failed());
        assertEquals(2, totals.busy(), "a busy thread and an async call under way");
        assertTrue(totals.meanTime().compareTo(Duration.ofMillis(1)) >= 0, totals.toString());
        assertEquals(totals.plus(totals).invocations(), 12);
        a.idle();
        assertEquals(1, CallCounter.Totals.NONE.plus(a).plus(b).busy());
    }
}
