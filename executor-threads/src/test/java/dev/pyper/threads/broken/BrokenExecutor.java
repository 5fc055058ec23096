package dev.pyper.threads.broken;

import dev.pyper.PipelineExecutor;
import dev.pyper.spi.Plan;
import dev.pyper.spi.Run;
import dev.pyper.threads.ThreadExecutor;
import java.util.Map;

/**
 * A deliberately broken executor: the real {@link ThreadExecutor} with one rule broken by a
 * mutation of the plan it runs or of the run it returns. The kit must catch each of them
 * ({@code BrokenExecutorsTest}); a kit that passes a broken executor is worth nothing.
 */
abstract class BrokenExecutor implements PipelineExecutor {

    private final ThreadExecutor real = new ThreadExecutor();

    /** The plan the real executor runs instead. */
    Plan mutate(Plan plan) {
        return plan;
    }

    /** The run the caller gets instead. */
    <O> Run<O> mutate(Run<O> run) {
        return run;
    }

    @Override
    public String name() {
        return ThreadExecutor.NAME;
    }

    @Override
    public <O> Run<O> start(Plan plan, Object input) {
        return mutate(real.<O>start(mutate(plan), input));
    }

    @Override
    public Map<String, String> unsupportedRules() {
        return real.unsupportedRules();
    }

    @Override
    public void close() {
        real.close();
    }
}
