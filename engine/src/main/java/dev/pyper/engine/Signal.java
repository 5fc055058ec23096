package dev.pyper.engine;

import java.util.concurrent.CancellationException;

/**
 * The engine's own control flow through user code: thrown by {@link Channel} and by emitters to
 * end a worker, never recorded as a failure of the run.
 *
 * <p>It is a {@link CancellationException}, as {@code Emitter.emit} documents. Preallocated and
 * without a stack trace: it says what happened to the run, not where.
 */
final class Signal extends CancellationException {

    private static final long serialVersionUID = 1L;

    private final boolean abandoned;

    private Signal(String message, boolean abandoned) {
        super(message);
        this.abandoned = abandoned;
    }

    /** The run was cancelled or failed: end now. A new instance each time, as user code may add to it. */
    static Signal cancelled() {
        return new Signal("the pipeline run was cancelled", false);
    }

    /** Nobody consumes this task's outputs any more: end quietly. */
    static Signal abandoned() {
        return new Signal("no task consumes these outputs any more", true);
    }

    @Override
    public Throwable fillInStackTrace() {
        return this;
    }

    /** Whether {@code t} or one of its causes is a signal of the engine's. */
    static boolean isSignal(Throwable t) {
        return find(t) != null;
    }

    /** Whether {@code t} or one of its causes says that the consumers have gone. */
    static boolean isAbandoned(Throwable t) {
        Signal s = find(t);
        return s != null && s.abandoned;
    }

    private static Signal find(Throwable t) {
        int depth = 0;
        for (Throwable c = t; c != null && depth++ < 32; c = c.getCause()) {
            if (c instanceof Signal s) {
                return s;
            }
        }
        return null;
    }
}
