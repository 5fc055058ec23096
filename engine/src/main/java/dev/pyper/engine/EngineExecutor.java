package dev.pyper.engine;

import dev.pyper.PipelineExecutor;
import dev.pyper.spi.Plan;
import dev.pyper.spi.Run;
import java.util.Map;

/**
 * An executor that runs pipelines on an {@link Engine} in this JVM: all an in-JVM executor has to
 * add is how its workers run (the engine's {@link WorkerLauncher}) and, if it keeps threads, how
 * they end ({@link #releaseWorkers()}).
 */
public abstract class EngineExecutor implements PipelineExecutor {

    private final String name;
    private final Engine engine;

    /**
     * @param name the executor's registered name
     * @param engine the engine that runs its pipelines
     */
    protected EngineExecutor(String name, Engine engine) {
        this.name = name;
        this.engine = engine;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final <O> Run<O> start(Plan plan, Object input) {
        check(plan);
        return engine.start(plan, input);
    }

    /**
     * Refuses a plan that this executor cannot run, before any user function is called; accepts
     * every plan by default.
     *
     * @param plan the plan about to start
     * @throws IllegalArgumentException naming the task and the reason
     */
    protected void check(Plan plan) {}

    @Override
    public final Map<String, String> unsupportedRules() {
        return engine.unsupportedRules();
    }

    /**
     * Cancels every run still going, waits until their workers have ended, ends the worker
     * processes of {@code multiprocess} tasks, then {@linkplain #releaseWorkers() releases} the
     * executor's own threads (rule 4.5). Idempotent.
     */
    @Override
    public final void close() {
        engine.close();
        engine.awaitRunsEnded();
        engine.closeProcesses();
        releaseWorkers();
    }

    /** Ends the threads that the executor keeps between runs, waiting for them; nothing by default. */
    protected void releaseWorkers() {}

    /**
     * The runs of this executor that still have workers.
     *
     * @return how many runs are going
     */
    public final int runningCount() {
        return engine.runningCount();
    }
}
