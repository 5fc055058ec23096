package dev.pyper.tck.reference;

import java.util.concurrent.CancellationException;

/**
 * The reference executor's own stop signal: what {@code emit} and the buffers throw once the run is
 * cancelled, has failed, or nobody reads a task's outputs any more (rules 8.2, 8.3). A
 * {@link CancellationException}, as rule 8.2 says; a worker that sees it stops quietly, and it is
 * never recorded as a failure.
 */
final class Stopped extends CancellationException {

    private static final long serialVersionUID = 1L;

    Stopped(String message) {
        super(message);
    }

    /** For a wait that was interrupted: the thread's interrupt flag is set again (rule 8.2). */
    static Stopped interrupted() {
        Thread.currentThread().interrupt();
        return new Stopped("interrupted while waiting");
    }
}
