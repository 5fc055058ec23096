package dev.pyper.flink;

import dev.pyper.spi.Throwables;
import java.util.ArrayList;
import java.util.List;

/**
 * The failures of one run as its invocations threw them, in this JVM (rules 4.1, 4.3).
 *
 * <p>On the embedded cluster every invocation runs in the caller's JVM, so the run keeps the
 * user's exception objects themselves: the first is the cause the caller gets, the later ones
 * (except the interrupts and cancellations that ending the job caused) its suppressed
 * exceptions. Flink's own failure report is a serialized copy of only the first; it is what a
 * remote run has. Thread-safe: invocations of every subtask record here.
 */
final class Failures {

    private Failure first;
    private final List<Throwable> later = new ArrayList<>();

    /** A recorded failure: the task, and the user's exception unwrapped (rule 4.1). */
    record Failure(TaskFailure failure, Throwable cause) {}

    /** Records a failure; the first one is kept as the cause, later ones as suppressed. */
    synchronized void record(TaskFailure failure) {
        if (first == null) {
            first = new Failure(failure, failure.getCause());
        } else if (failure.getCause() != first.cause() && !Throwables.causedByEnding(failure.getCause())) {
            later.add(failure.getCause());
        }
    }

    synchronized Failure first() {
        return first;
    }

    synchronized List<Throwable> later() {
        return List.copyOf(later);
    }
}
