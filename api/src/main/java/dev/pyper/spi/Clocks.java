package dev.pyper.spi;

import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The clocks of {@link PolicyClock}. */
final class Clocks {

    /** The name of the timer thread. */
    static final String TIMER_THREAD = "pyper-timeouts";

    static final PolicyClock SYSTEM = new Real();

    /** The origin of scaled clocks' time: their {@code nanoTime()} counts from here, so that it does not overflow. */
    private static final long SCALED_ORIGIN = System.nanoTime();

    static volatile PolicyClock current = initial();

    private Clocks() {}

    private static PolicyClock initial() {
        String scale = System.getProperty(PolicyClock.SCALE_PROPERTY);
        if (scale == null || scale.isBlank()) {
            return SYSTEM;
        }
        try {
            return new Scaled(Double.parseDouble(scale.strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "system property " + PolicyClock.SCALE_PROPERTY + "=" + scale
                            + ": expected a factor more than 0 and at most 1",
                    e);
        }
    }

    /** Real time. */
    private static final class Real implements PolicyClock {
        @Override
        public void sleep(long nanos) throws InterruptedException {
            if (nanos > 0) {
                TimeUnit.NANOSECONDS.sleep(nanos);
            }
        }

        @Override
        public Future<?> schedule(Runnable action, long nanos) {
            return Timer.SCHEDULER.schedule(action, nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public String toString() {
            return "PolicyClock.system()";
        }
    }

    /** Real time divided by a factor. */
    record Scaled(double factor) implements PolicyClock {
        Scaled {
            if (!(factor > 0 && factor <= 1)) {
                throw new IllegalArgumentException("a clock's scale must be more than 0 and at most 1: " + factor);
            }
        }

        @Override
        public void sleep(long nanos) throws InterruptedException {
            SYSTEM.sleep(real(nanos));
        }

        @Override
        public Future<?> schedule(Runnable action, long nanos) {
            return SYSTEM.schedule(action, real(nanos));
        }

        @Override
        public long nanoTime() {
            return (long) ((System.nanoTime() - SCALED_ORIGIN) / factor);
        }

        private long real(long nanos) {
            return nanos <= 0
                    ? nanos
                    : Math.max(1, (long) Math.ceil(nanos * factor)); // never wakes early on this clock
        }

        @Override
        public String toString() {
            return "PolicyClock.scaled(" + factor + ")";
        }
    }

    /** The JVM's one timer thread, started the first time a timer is set. */
    private static final class Timer {
        static final ScheduledThreadPoolExecutor SCHEDULER = scheduler();

        private static ScheduledThreadPoolExecutor scheduler() {
            ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, TIMER_THREAD);
                t.setDaemon(true);
                return t;
            });
            scheduler.setRemoveOnCancelPolicy(true); // a million fast calls leave no million cancelled timers behind
            return scheduler;
        }
    }
}
