package dev.pyper.engine;

/**
 * How an executor runs a worker: the one thing in which the in-JVM executors differ (section 0).
 *
 * <p>The engine calls {@link #launch} once per worker of every task of a run. The platform-thread
 * executor hands the body to a pooled thread; the virtual-thread executor starts a virtual thread.
 */
@FunctionalInterface
public interface WorkerLauncher {

    /**
     * Runs {@code body} on a thread of its own, named {@code name} while it runs
     * ({@code pyper-<task>-<n>}). Returns without waiting for the body.
     *
     * @param name the worker's thread name
     * @param body the worker's loop; it never throws
     * @throws RuntimeException if no thread can be had (the run then fails)
     */
    void launch(String name, Runnable body);
}
