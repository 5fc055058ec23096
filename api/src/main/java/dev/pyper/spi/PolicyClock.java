package dev.pyper.spi;

import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The time that retries' backoffs, invocations' timeouts (rule 9.7) and rate limits (rule 10.1)
 * run on: one per JVM, the real time by default, replaceable so that a test runs minutes of
 * backoff, timeouts and rate limits in milliseconds without sleeping through them.
 * {@link FailurePolicy#invoke} and {@link TokenBucket} take every wait, every timer and every
 * reading of the time from {@link #current()}.
 *
 * <p>A test replaces it for a block of code with {@link #use}:
 * <pre>{@code
 * try (PolicyClock.InUse fast = PolicyClock.use(PolicyClock.scaled(0.001))) {
 *     // a backoff of 1 minute waits 60 ms here, a timeout of 10 minutes fires after 600 ms
 * }
 * }</pre>
 * A JVM that a test cannot reach (a worker JVM, a TaskManager) starts with a scaled clock when its
 * system property {@value #SCALE_PROPERTY} holds the factor. The clock is the JVM's: every run of
 * the JVM sees the replacement while it is in use.
 */
public interface PolicyClock {

    /** The system property that, when set to a positive factor, makes the JVM start with {@link #scaled} time. */
    String SCALE_PROPERTY = "pyper.policy.clockScale";

    /**
     * The time now on this clock, in its nanoseconds, for measuring how much of it has passed (as
     * {@link System#nanoTime()}: its origin means nothing). A clock whose {@link #sleep} waits
     * {@code n} of its nanoseconds sees this time move on by at least {@code n} meanwhile. Rate
     * limits (rule 10.1) read it; the default is {@link System#nanoTime()}, right for a clock of
     * real time.
     *
     * @return the time now, in this clock's nanoseconds
     */
    default long nanoTime() {
        return System.nanoTime();
    }

    /**
     * Waits out a backoff of {@code nanos} on this clock.
     *
     * @param nanos the wait, in this clock's nanoseconds; nothing happens for zero or less
     * @throws InterruptedException if the thread is interrupted while it waits (the run's cancellation)
     */
    void sleep(long nanos) throws InterruptedException;

    /**
     * Runs {@code action} once {@code nanos} of this clock have passed, on a timer thread, unless
     * cancelled first.
     *
     * @param action what to run, quickly (it interrupts a thread)
     * @param nanos the delay, in this clock's nanoseconds
     * @return the pending action, to cancel
     */
    Future<?> schedule(Runnable action, long nanos);

    /**
     * The real time: {@link TimeUnit#sleep} and the JVM's one timer thread, {@code pyper-timeouts},
     * a daemon started the first time a timer is set (rule 9.4).
     *
     * @return the real-time clock
     */
    static PolicyClock system() {
        return Clocks.SYSTEM;
    }

    /**
     * A clock whose time runs {@code 1 / factor} times as fast as the real one: with
     * {@code factor} 0.001, a backoff of one minute waits 60 ms of real time.
     *
     * @param factor real nanoseconds per nanosecond of this clock, more than 0 and at most 1
     * @return the scaled clock
     * @throws IllegalArgumentException if {@code factor} is not more than 0 and at most 1
     */
    static PolicyClock scaled(double factor) {
        return new Clocks.Scaled(factor);
    }

    /**
     * The clock in use in this JVM: the last one {@link #use}d and not yet given back; else a
     * {@link #scaled} one if {@value #SCALE_PROPERTY} is set; else {@link #system()}.
     *
     * @return the current clock
     */
    static PolicyClock current() {
        return Clocks.current;
    }

    /**
     * Makes {@code clock} the JVM's clock until the returned handle is closed, which puts the one
     * before it back. Timers already set and waits already begun keep the clock they began on.
     *
     * @param clock the clock to use
     * @return the handle that gives the clock back
     */
    @SuppressWarnings("LockOnNonEnclosingClassLiteral") // Clocks: a private holder that only this interface locks
    static InUse use(PolicyClock clock) {
        Objects.requireNonNull(clock, "clock");
        synchronized (Clocks.class) {
            PolicyClock before = Clocks.current;
            Clocks.current = clock;
            return () -> {
                synchronized (Clocks.class) {
                    Clocks.current = before;
                }
            };
        }
    }

    /** A replacement clock in use, until {@link #close()} puts back the one before it. */
    interface InUse extends AutoCloseable {
        /** Puts back the clock that was in use before this one. */
        @Override
        void close();
    }
}
