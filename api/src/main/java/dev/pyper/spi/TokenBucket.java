package dev.pyper.spi;

import dev.pyper.Option;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rate limit of one task in one run (section 10): a bucket of {@link Option.Rate#burst()}
 * tokens, full when the run starts, refilled at {@link Option.Rate#perSecond()} tokens a second on
 * the {@link PolicyClock}; every attempt of an invocation takes one before it starts (rule 10.1).
 * An executor makes one per task per run with {@link #of}, shares it among all of the task's
 * workers, and hands it to {@link FailurePolicy#invoke} and {@link FailurePolicy#invokeAsync},
 * which take the tokens: waiting in the worker's thread, interruptibly, or on the clock's timer.
 * Lock-free, so no taker ever waits on another, and safe for virtual threads.
 */
public final class TokenBucket {

    /*
     * Overview. The bucket is kept as one number, the "theoretical arrival time" of the generic
     * cell rate algorithm: the clock time at which the bucket would be full again were no token
     * taken meanwhile. With an interval I = 1 s / perSecond and a tolerance (burst - 1) × I, a
     * token asked for at time now is due at max(tat, now) - tolerance (or now, if that is earlier),
     * and tat moves on to max(tat, now) + I. Taking a token is one compare-and-set: no lock, so no
     * taker waits on another, and a virtual thread never pins. A taker reserves its token first
     * and then waits until it is due, with PolicyClock.sleep (interruptible: the run's cancellation
     * wakes it, rule 10.4) or a timer (async tasks: no thread waits). Tokens are due in the order
     * they are asked for, I apart once the burst is spent, so in any span of t seconds at most
     * burst + t × perSecond are granted. A reservation whose taker is cancelled is not given back:
     * only a run that is ending cancels one, and its bucket ends with it.
     */

    /** No rate limit: every token at once. */
    public static final TokenBucket NONE = new TokenBucket();

    private final PolicyClock clock;
    private final long origin;
    private final long intervalNanos;
    private final long toleranceNanos;
    /** The theoretical arrival time, in the clock's nanoseconds since {@link #origin}. */
    private final AtomicLong tat = new AtomicLong();

    private TokenBucket() {
        this.clock = null;
        this.origin = 0;
        this.intervalNanos = 0;
        this.toleranceNanos = 0;
    }

    private TokenBucket(Option.Rate rate, PolicyClock clock) {
        this.clock = clock;
        this.origin = clock.nanoTime();
        // a rate of once in decades is capped so that the burst's tolerance stays exact: its tokens wait "for ever" all
        // the same
        this.intervalNanos = Math.min(rate.intervalNanos(), Long.MAX_VALUE / 2 / rate.burst());
        this.toleranceNanos = (rate.burst() - 1) * intervalNanos;
    }

    /**
     * A full bucket for one run of {@code task}, on the JVM's {@link PolicyClock#current() clock}
     * now (rules 10.1, 9.7); {@link #NONE} for a task without a rate.
     *
     * @param task the task
     * @return the run's bucket of the task
     */
    public static TokenBucket of(TaskSpec task) {
        Option.Rate rate = task.failurePolicy().rate();
        return rate == null ? NONE : new TokenBucket(rate, PolicyClock.current());
    }

    /**
     * Whether this is {@link #NONE}: no token is ever waited for.
     *
     * @return true for a task without a rate
     */
    public boolean isNone() {
        return clock == null;
    }

    /**
     * Takes a token, waiting in this thread until it is due (rule 10.1).
     *
     * @return how long this thread waited, in the clock's nanoseconds: 0 if a token was there
     * @throws InterruptedException if the thread is interrupted while it waits (the run's cancellation, rule 10.4)
     */
    public long take() throws InterruptedException {
        long wait = reserve();
        if (wait > 0) {
            clock.sleep(wait);
        }
        return wait;
    }

    /**
     * Reserves a token without waiting for it: the caller starts its attempt once the returned
     * time has passed on {@link #clock()} (an async task, on the clock's timer).
     *
     * @return the nanoseconds of the clock until the token is due, 0 if it is due now
     */
    public long reserve() {
        if (clock == null) {
            return 0;
        }
        long now = clock.nanoTime() - origin;
        while (true) {
            long arrival = tat.get();
            long base = Math.max(arrival, now);
            long next = base + intervalNanos < base
                    ? Long.MAX_VALUE
                    : base + intervalNanos; // saturates: a rate of once in centuries
            if (tat.compareAndSet(arrival, next)) {
                return Math.max(0, base - toleranceNanos - now);
            }
        }
    }

    /**
     * The clock this bucket's time runs on: the one current when it was made.
     *
     * @return the clock, or {@link PolicyClock#system()} for {@link #NONE}
     */
    public PolicyClock clock() {
        return clock == null ? PolicyClock.system() : clock;
    }

    @Override
    public String toString() {
        return clock == null
                ? "TokenBucket.NONE"
                : "TokenBucket[every " + intervalNanos + " ns, burst "
                        + (toleranceNanos / Math.max(1, intervalNanos) + 1) + "]";
    }
}
