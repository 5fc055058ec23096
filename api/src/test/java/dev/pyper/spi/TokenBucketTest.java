package dev.pyper.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Option;
import dev.pyper.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Rule 10.1's bucket, on a clock whose time the test sets: the reservations, exactly. */
class TokenBucketTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** A clock that reads the time the test sets, and refuses to wait: the bucket only reserves here. */
    private static final class SetClock implements PolicyClock {
        long now = 123_456_789; // any origin

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(long nanos) {
            throw new AssertionError("the bucket was to reserve, not to sleep: " + nanos);
        }

        @Override
        public Future<?> schedule(Runnable action, long nanos) {
            throw new AssertionError("not used");
        }
    }

    private static TokenBucket bucket(Option.Rate rate, PolicyClock clock) {
        TaskSpec task = new TaskSpec(
                "paced", TaskSpec.Kind.TASK, "f", 4, 0, false, false, FailurePolicy.of(null, null, null, rate));
        try (PolicyClock.InUse use = PolicyClock.use(clock)) {
            return TokenBucket.of(task);
        }
    }

    @Test
    void aFullBucketGivesItsBurstAtOnceThenOneTokenPerInterval() {
        SetClock clock = new SetClock();
        TokenBucket tokens = bucket(Task.rate(10).burst(3), clock);
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            waits.add(tokens.reserve());
        }
        long interval = SECOND / 10;
        assertEquals(
                List.of(0L, 0L, 0L, interval, 2 * interval, 3 * interval),
                waits,
                "the burst, then one per interval, in order");
        assertSame(clock, tokens.clock());
    }

    @Test
    void aPauseRefillsTheBucketUpToItsBurstAndNoFurther() {
        SetClock clock = new SetClock();
        TokenBucket tokens = bucket(Task.rate(2).burst(2), clock);
        assertEquals(0, tokens.reserve());
        assertEquals(0, tokens.reserve());
        assertEquals(SECOND / 2, tokens.reserve(), "empty: the next token in half a second");
        clock.now += 60 * SECOND; // a minute idle refills two tokens, not 120
        assertEquals(0, tokens.reserve());
        assertEquals(0, tokens.reserve());
        assertEquals(SECOND / 2, tokens.reserve());
    }

    @Test
    void inAnySpanAtMostBurstPlusRateTimesItsLengthAreGranted() {
        SetClock clock = new SetClock();
        TokenBucket tokens = bucket(Task.rate(7).burst(4), clock);
        List<Long> grantedAt = new ArrayList<>();
        for (int step = 0; step < 400; step++) {
            clock.now += SECOND / 37 * (step % 5); // takers at uneven times
            for (int taker = 0; taker < step % 3; taker++) {
                grantedAt.add(clock.now + tokens.reserve());
            }
        }
        grantedAt.sort(null);
        long interval = Task.rate(7).intervalNanos();
        for (int i = 0; i < grantedAt.size(); i++) {
            for (int j = i; j < grantedAt.size(); j++) {
                long span = grantedAt.get(j) - grantedAt.get(i);
                long allowed = 4 + span / interval;
                assertTrue(j - i + 1 <= allowed, () -> "too many tokens in a span of " + span + " ns");
            }
        }
    }

    @Test
    void aRateBelowOneASecondAndAnyRateRoundToTheirInterval() {
        assertEquals(2 * SECOND, Task.rate(0.5).intervalNanos());
        assertEquals(1, Task.rate(1e12).intervalNanos(), "at least a nanosecond");
        assertEquals(Long.MAX_VALUE, Task.rate(1e-300).intervalNanos(), "once in centuries saturates");
        SetClock clock = new SetClock();
        TokenBucket rare = bucket(Task.rate(1e-300).burst(3), clock);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, rare.reserve());
        }
        assertTrue(
                rare.reserve() > 10L * 365 * 24 * 3600 * SECOND,
                "the fourth token waits for ever, without overflowing");
        assertTrue(rare.reserve() > 0, "and so do the ones after it");
    }

    @Test
    void withoutARateNothingWaits() throws InterruptedException {
        TaskSpec free = new TaskSpec("free", TaskSpec.Kind.TASK, "f", 1, 0, false, false);
        TokenBucket none = TokenBucket.of(free);
        assertSame(TokenBucket.NONE, none);
        assertTrue(none.isNone());
        assertEquals(0, none.take());
        assertFalse(bucket(Task.rate(1), new SetClock()).isNone());
    }

    @Test
    void anInterruptedWaitForATokenThrows() {
        TokenBucket tokens = bucket(Task.rate(1e-3), PolicyClock.system());
        tokens.reserve(); // the burst of one: the next waits 1,000 s
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, tokens::take, "the run's cancellation ends the wait (rule 10.4)");
        assertFalse(Thread.interrupted());
    }

    @Test
    void aPolicyWithARateRefusesACallWithoutTheRunsBucket() {
        TaskSpec paced = new TaskSpec(
                "paced",
                TaskSpec.Kind.TASK,
                (dev.pyper.function.ThrowingFunction<Object, Object>) x -> x,
                1,
                0,
                false,
                false,
                FailurePolicy.of(null, null, null, Task.rate(5)));
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> paced.failurePolicy()
                        .invoke(paced, 1, out -> {}, (in, out) -> out.emit(in), new CallCounter(new TimeHistogram())));
        assertTrue(e.getMessage().contains("rate(5)") && e.getMessage().contains("paced"), e.getMessage());
    }
}
