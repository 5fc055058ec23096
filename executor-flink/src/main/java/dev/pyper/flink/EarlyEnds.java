package dev.pyper.flink;

import dev.pyper.spi.Plan;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Which tasks of a run nobody consumes any more, because a join after them has returned without
 * reading all of its input (rule 8.3): they stop quietly, as the in-JVM engine's do.
 *
 * <p>Flink ends an operator only when its input has ended, and a join that returned still drops
 * its input until then: with an infinite producer upstream, that is never. So once every worker of
 * a join has returned, every task before it is <em>abandoned</em>: its emits throw
 * {@link Abandoned} (a {@code CancellationException}, rule 8.2), which ends the invocation
 * without a failure, and it calls its function on no further input; the producer's invocation
 * thus ends, Flink ends its input, and the end travels down to the join. On the embedded cluster
 * every operator shares the caller's one instance; on a remote cluster each operator has its own,
 * so a join's return does not reach the tasks before it (declared, rule 7.2).
 */
final class EarlyEnds {

    private final int[] workers;
    private final AtomicIntegerArray returned;
    /** Tasks numbered below this have no consumer any more. */
    private volatile int abandonedBelow;

    EarlyEnds(Plan plan) {
        workers = plan.tasks().stream().mapToInt(task -> task.workers()).toArray();
        returned = new AtomicIntegerArray(workers.length);
    }

    /** A worker of the join numbered {@code index} has returned (whether or not it read all of its input). */
    void joinReturned(int index) {
        if (returned.incrementAndGet(index) == workers[index]) {
            synchronized (this) {
                abandonedBelow = Math.max(abandonedBelow, index);
            }
        }
    }

    /** Whether nobody consumes the outputs of task {@code index} any more. */
    boolean abandoned(int index) {
        return index < abandonedBelow;
    }

    /** How an emit of an abandoned task ends its invocation: quietly, never recorded as a failure. */
    static final class Abandoned extends CancellationException {

        private static final long serialVersionUID = 1L;

        Abandoned() {
            super("no task consumes these outputs any more: a join after this task has returned");
        }

        @Override
        public Throwable fillInStackTrace() {
            return this;
        }

        /** Whether {@code t} or one of its causes is an {@code Abandoned}. */
        static boolean in(Throwable t) {
            int depth = 0;
            for (Throwable c = t; c != null && depth++ < 32; c = c.getCause()) {
                if (c instanceof Abandoned) {
                    return true;
                }
            }
            return false;
        }
    }
}
