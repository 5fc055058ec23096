package dev.pyper.virtual;

import dev.pyper.engine.Engine;
import dev.pyper.engine.EngineExecutor;

/**
 * Runs every task's workers on virtual threads: the executor for IO-bound pipelines with many
 * concurrent blocking calls (HTTP, JDBC, files), where {@code workers(10_000)} costs a few
 * megabytes rather than ten thousand platform threads. Registered for
 * {@link java.util.ServiceLoader} as {@value #NAME}.
 *
 * <p>Each worker is a new virtual thread named {@code pyper-<task>-<n>}; virtual threads are
 * cheap to start, so none are kept. The shared engine blocks only on
 * {@link java.util.concurrent.locks.ReentrantLock} conditions, never in {@code synchronized}, so
 * waiting workers release their carrier thread. {@link #close()} cancels the runs still going
 * and returns once their workers have ended (rule 4.5).
 *
 * <pre>{@code
 * try (VirtualThreadExecutor virtual = new VirtualThreadExecutor()) {
 *     pipeline.on(virtual).stream(urls).forEach(System.out::println);
 * }
 * }</pre>
 */
public final class VirtualThreadExecutor extends EngineExecutor {

    /** The name under which this executor is registered: {@code virtual}. */
    public static final String NAME = "virtual";

    /** A new executor; it holds no threads until a run starts. */
    public VirtualThreadExecutor() {
        super(NAME, new Engine((name, body) -> Thread.ofVirtual().name(name).start(body)));
    }

    @Override
    public String toString() {
        return "VirtualThreadExecutor[runs=" + runningCount() + "]";
    }
}
