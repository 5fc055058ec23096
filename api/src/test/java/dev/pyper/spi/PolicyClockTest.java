package dev.pyper.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Rule 9.7: the clock of backoffs and timeouts, replaceable for a block. */
class PolicyClockTest {

    @Test
    void theRealClockIsTheDefaultAndUseGivesItBack() {
        PolicyClock before = PolicyClock.current();
        assertSame(PolicyClock.system(), before, "no " + PolicyClock.SCALE_PROPERTY + " in this JVM");
        PolicyClock fast = PolicyClock.scaled(0.001);
        try (PolicyClock.InUse outer = PolicyClock.use(fast)) {
            assertSame(fast, PolicyClock.current());
            try (PolicyClock.InUse inner = PolicyClock.use(PolicyClock.system())) {
                assertSame(PolicyClock.system(), PolicyClock.current());
            }
            assertSame(fast, PolicyClock.current(), "the inner block gave the outer clock back");
        }
        assertSame(before, PolicyClock.current());
    }

    @Test
    void anHourOnAClockAMillionTimesAsFastPassesInMilliseconds() {
        PolicyClock fast = PolicyClock.scaled(1e-6);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            fast.sleep(TimeUnit.HOURS.toNanos(1));
            CountDownLatch fired = new CountDownLatch(1);
            fast.schedule(fired::countDown, TimeUnit.HOURS.toNanos(1));
            assertTrue(fired.await(30, TimeUnit.SECONDS), "the timer of an hour fired");
        });
    }

    @Test
    void aScaleOutsideZeroToOneIsRefusedNamingIt() {
        for (double bad : new double[] {0, -1, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PolicyClock.scaled(bad));
            assertTrue(e.getMessage().contains(String.valueOf(bad)), e.getMessage());
        }
        assertEquals("PolicyClock.scaled(0.5)", PolicyClock.scaled(0.5).toString());
    }
}
