package dev.pyper.tck;

import dev.pyper.Pipeline;
import dev.pyper.PipelineExecutor;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * The base of every area of the kit: makes a fresh executor for each test with
 * {@link #createExecutor()}, closes it afterwards, and checks that the JVM is back where it was
 * (rule 4.5) — so every test of the kit also checks the leak rule.
 *
 * <p>The tests run their pipelines through {@link #on} and {@link #run}, which watch every run:
 * each invocation of the run's functions is recorded, with the process that runs it, in the kit's
 * shared memory, and whenever the caller gets a result (the end of the outputs, the run's failure,
 * the return of {@code close()}) no invocation of that run may still be executing in a live
 * process (rule 4.5: "nothing of the run is busy"). That check knows nothing of threads, their
 * names or their pools, so it holds the same for platform threads, virtual threads, the common
 * pool, worker JVMs or a cluster. A violation fails the test, even where the test itself caught
 * the {@code AssertionError}.
 *
 * <p>A test whose rule the executor declares in {@link PipelineExecutor#unsupportedRules()} is
 * skipped with the executor's reason (rule 7.2), never passed silently.
 */
public abstract class ExecutorVerification {

    private PipelineExecutor executor;
    private WatchedExecutor watched;
    private LeakCensus census;

    /** For subclasses. */
    protected ExecutorVerification() {}

    /**
     * Makes the executor under test: a new one for each test, closed by the kit afterwards.
     *
     * @return a new executor
     */
    protected abstract PipelineExecutor createExecutor();

    @BeforeEach
    final void openExecutor(TestInfo info) {
        census = LeakCensus.take();
        executor = createExecutor();
        watched = new WatchedExecutor(executor);
        String rule = info.getTestMethod()
                .map(m -> m.getAnnotation(RuleTest.class))
                .map(RuleTest::value)
                .orElse(null);
        if (rule != null) {
            String reason = unsupportedReason(executor.unsupportedRules(), rule);
            Assumptions.assumeTrue(
                    reason == null,
                    () -> "Rule " + rule + " is declared unsupported by executor '" + executor.name() + "': " + reason);
        }
    }

    @AfterEach
    final void closeExecutor() {
        AssertionError leak = null;
        try {
            if (executor != null) {
                executor.close();
            }
            census.assertNothingLeft();
        } catch (AssertionError e) {
            leak = e;
        }
        // also what a run found while the executor closed: a pull of another thread that it ended
        List<String> busy = watched == null ? List.of() : watched.violations();
        if (!busy.isEmpty()) {
            AssertionError first = new AssertionError(String.join("\n", busy));
            if (leak != null) {
                first.addSuppressed(leak);
            }
            throw first;
        }
        if (leak != null) {
            throw leak;
        }
    }

    /**
     * The reason given for a rule or its section, or null if the executor supports it.
     *
     * @param unsupported the executor's declaration
     * @param rule a rule number such as {@code "2.6"}
     * @return the reason, or null
     */
    static String unsupportedReason(Map<String, String> unsupported, String rule) {
        for (String key = rule; !key.isEmpty(); key = key.contains(".") ? key.substring(0, key.lastIndexOf('.')) : "") {
            String reason = unsupported.get(key);
            if (reason != null) {
                return reason;
            }
        }
        return null;
    }

    /**
     * The executor under test, open for the current test, as {@link #createExecutor()} made it:
     * runs started on it directly are not watched by the kit's ledger (see {@link #on}).
     *
     * @return the executor
     */
    protected final PipelineExecutor executor() {
        return executor;
    }

    /**
     * Binds {@code pipeline} to the executor under test, watched: each of its runs fails the test
     * if, when the caller has the run's end, failure or the return of {@code close()}, any
     * invocation of the run is still executing (rule 4.5).
     *
     * @param pipeline any pipeline
     * @param <I> input type
     * @param <O> output type
     * @return the bound pipeline
     */
    protected final <I, O> Pipeline<I, O> on(Pipeline<I, O> pipeline) {
        return pipeline.on(watched);
    }

    /**
     * Runs {@code pipeline} on the executor under test, watched as {@link #on} does, and collects
     * every output.
     *
     * @param pipeline the pipeline
     * @param input the producer's input
     * @param <I> input type
     * @param <O> output type
     * @return the outputs in the order they arrived
     */
    protected final <I, O> List<O> run(Pipeline<I, O> pipeline, I input) {
        try (Stream<O> outputs = pipeline.on(watched).stream(input)) {
            return outputs.toList();
        }
    }

    /**
     * {@link #run} with a bound: the run must end within {@link Tck#timeout()}, or the test fails
     * naming what was expected, instead of waiting for the kit's watchdog ({@link Tck#within}).
     *
     * @param pipeline any pipeline
     * @param input the producer's input
     * @param what what ends the run, for the failure's message
     * @param <I> input type
     * @param <O> output type
     * @return the outputs, in the order the run gave them
     */
    protected final <I, O> List<O> runWithin(Pipeline<I, O> pipeline, I input, String what) {
        return Tck.within(what, () -> run(pipeline, input));
    }
}
