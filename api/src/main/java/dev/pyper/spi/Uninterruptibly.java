package dev.pyper.spi;

import java.util.concurrent.TimeUnit;

/**
 * Waits that must not give in to an interrupt, and keep it for afterwards: the one place of the
 * "catch the interrupt, go on waiting, set the flag again at the end" loop that ending a run, an
 * executor or a worker process needs, finishing a frame on a worker process's link, and an attempt
 * under a timeout whose output is being passed on (rules 4.2, 4.4, 4.5: an interrupted caller
 * still waits until nothing of the run is left, and keeps its interrupt flag; rule 9.4). In the
 * SPI so that the engine, every executor and {@link FailurePolicy} share it.
 */
public final class Uninterruptibly {

    /**
     * One attempt of a wait: returns whether the wait is over; may be interrupted.
     *
     * @param <X> what else the attempt may throw, which ends the wait
     */
    @FunctionalInterface
    public interface Attempt<X extends Exception> {
        /**
         * Waits once, for a while or until woken.
         *
         * @return true when the wait is over
         * @throws InterruptedException if interrupted; the attempt is then made again
         * @throws X if the wait cannot go on; it ends with this exception
         */
        boolean done() throws InterruptedException, X;
    }

    private Uninterruptibly() {}

    /**
     * Makes attempts until one says the wait is over. An interrupt meanwhile does not end it; the
     * calling thread's interrupt flag is set again when this returns or throws.
     *
     * @param attempt one bounded or wakeable wait, and the check of its condition
     * @param <X> what an attempt may throw besides an interrupt
     * @throws X what an attempt threw, which ends the wait (the interrupt flag set again all the same)
     */
    public static <X extends Exception> void until(Attempt<X> attempt) throws X {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (attempt.done()) {
                        return;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits until {@code thread} has ended, keeping an interrupt for afterwards.
     *
     * @param thread the thread
     */
    public static void join(Thread thread) {
        until(() -> {
            thread.join();
            return true;
        });
    }

    /**
     * Waits until {@code process} has ended, keeping an interrupt for afterwards.
     *
     * @param process the process
     */
    public static void waitFor(Process process) {
        until(() -> {
            process.waitFor();
            return true;
        });
    }

    /**
     * Waits up to {@code timeout} for {@code process} to end; an interrupt does not cut the wait
     * short, and is kept for afterwards.
     *
     * @param process the process
     * @param timeout how long to wait
     * @param unit the unit of {@code timeout}
     * @return whether the process has ended
     */
    public static boolean waitFor(Process process, long timeout, TimeUnit unit) {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        until(() -> !process.isAlive()
                || process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                || System.nanoTime() - deadline >= 0);
        return !process.isAlive();
    }
}
