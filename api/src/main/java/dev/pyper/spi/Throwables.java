package dev.pyper.spi;

import dev.pyper.TaskTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * How executors read what an invocation threw: the user's own exception out of the wrappers that
 * futures add (rule 4.1), and whether it is only what the run's end did to the invocation (rules
 * 4.3, 8.2, 8.5): an interrupt or a cancellation, which is never a failure of its own.
 */
public final class Throwables {

    /** How deep a chain of causes is searched: user code may build one that loops. */
    private static final int MAX_DEPTH = 32;

    private Throwables() {}

    /**
     * The user's exception, unwrapped from {@link CompletionException} and
     * {@link ExecutionException} (rule 4.1).
     *
     * @param error what an invocation or its stage threw
     * @return the first cause that is neither wrapper, or the innermost wrapper if it has no cause
     */
    public static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Whether {@code error} is what ending a run causes in the code it stops: it or one of its causes
     * is an {@link InterruptedException}, a {@link ClosedByInterruptException} or a
     * {@link CancellationException}. A {@link TaskTimeoutException} stops the search: the interrupt
     * of an attempt that ran out of time is the timeout's, a failure of its own (rule 9.4).
     *
     * <p>Executors do not record such an exception as a later failure of a run that has already
     * failed (rule 4.3), nor count an invocation that it ended as failed (rule 8.5), when the run is
     * ending.
     *
     * @param error what an invocation threw
     * @return true if it stands for the run's end rather than for a failure
     */
    public static boolean causedByEnding(Throwable error) {
        int depth = 0;
        for (Throwable c = error; c != null && depth++ < MAX_DEPTH; c = c.getCause()) {
            if (c instanceof TaskTimeoutException) {
                return false;
            }
            if (c instanceof InterruptedException
                    || c instanceof ClosedByInterruptException
                    || c instanceof CancellationException) {
                return true;
            }
        }
        return false;
    }
}
