package dev.pyper.threads;

import dev.pyper.engine.Engine;
import dev.pyper.engine.EngineExecutor;
import java.time.Duration;

/**
 * Runs every task's workers on platform threads: the executor for CPU-bound work and for blocking
 * calls at moderate concurrency. Registered for {@link java.util.ServiceLoader} as
 * {@value #NAME}.
 *
 * <p>Each worker gets a thread of its own, named {@code pyper-<task>-<n>} while it runs, so that
 * any combination of {@code workers} and {@code throttle} completes (rule 2.9). Threads come from
 * a pool that starts a new one whenever none is idle and keeps at most {@code maxIdleThreads} idle
 * ones warm for {@code keepAlive}; they are daemon threads. {@link #close()} cancels the runs still
 * going and returns once every thread of the pool has ended (rule 4.5).
 *
 * <pre>{@code
 * try (ThreadExecutor threads = new ThreadExecutor()) {
 *     List<Integer> out = pipeline.on(threads).consume(Stream::toList).apply(0);
 * }
 * }</pre>
 */
public final class ThreadExecutor extends EngineExecutor {

    /** The name under which this executor is registered: {@code threads}. */
    public static final String NAME = "threads";

    /** Idle threads kept warm by default. */
    public static final int DEFAULT_MAX_IDLE = 1024;

    /** How long an idle thread waits for work by default. */
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(30);

    private final ThreadPool pool;

    /** An executor that keeps up to {@value #DEFAULT_MAX_IDLE} idle threads for 30 seconds. */
    public ThreadExecutor() {
        this(DEFAULT_MAX_IDLE, DEFAULT_KEEP_ALIVE);
    }

    /**
     * An executor with its own bounds on idle threads.
     *
     * @param maxIdleThreads how many idle threads to keep warm, 0 or more
     * @param keepAlive how long an idle thread waits for work before it ends
     * @throws IllegalArgumentException if {@code maxIdleThreads < 0} or {@code keepAlive} is
     *     negative or null
     */
    public ThreadExecutor(int maxIdleThreads, Duration keepAlive) {
        this(pool(maxIdleThreads, keepAlive));
    }

    private static ThreadPool pool(int maxIdleThreads, Duration keepAlive) {
        if (maxIdleThreads < 0) {
            throw new IllegalArgumentException("maxIdleThreads must be 0 or more, was " + maxIdleThreads);
        }
        if (keepAlive == null || keepAlive.isNegative()) {
            throw new IllegalArgumentException("keepAlive must be zero or positive, was " + keepAlive);
        }
        return new ThreadPool(maxIdleThreads, keepAlive.toNanos());
    }

    private ThreadExecutor(ThreadPool pool) {
        super(NAME, new Engine(pool));
        this.pool = pool;
    }

    /**
     * The platform threads that this executor holds now, busy or idle.
     *
     * @return the number of threads
     */
    public int threadCount() {
        return pool.size();
    }

    /** Ends every pooled thread, once the runs have ended, and returns when they all have (rule 4.5). */
    @Override
    protected void releaseWorkers() {
        pool.close();
    }

    @Override
    public String toString() {
        return "ThreadExecutor[threads=" + pool.size() + "]";
    }
}
