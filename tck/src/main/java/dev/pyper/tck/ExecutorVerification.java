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
 * <p>A test whose rule the executor declares in {@link PipelineExecutor#unsupportedRules()} is
 * skipped with the executor's reason (rule 7.2), never passed silently.
 */
public abstract class ExecutorVerification {

    private PipelineExecutor executor;
    private LeakCensus census;

    /** For subclasses. */
    protected ExecutorVerification() {
    }

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
        String rule = info.getTestMethod().map(m -> m.getAnnotation(RuleTest.class)).map(RuleTest::value).orElse(null);
        if (rule != null) {
            String reason = unsupportedReason(executor.unsupportedRules(), rule);
            Assumptions.assumeTrue(reason == null,
                    () -> "Rule " + rule + " is declared unsupported by executor '" + executor.name() + "': " + reason);
        }
    }

    @AfterEach
    final void closeExecutor() {
        if (executor != null) {
            executor.close();
        }
        census.assertNothingLeft();
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
     * The executor under test, open for the current test.
     *
     * @return the executor
     */
    protected final PipelineExecutor executor() {
        return executor;
    }

    /**
     * Binds {@code pipeline} to the executor under test.
     *
     * @param pipeline any pipeline
     * @param <I> input type
     * @param <O> output type
     * @return the bound pipeline
     */
    protected final <I, O> Pipeline<I, O> on(Pipeline<I, O> pipeline) {
        return pipeline.on(executor);
    }

    /**
     * Runs {@code pipeline} on the executor under test and collects every output.
     *
     * @param pipeline the pipeline
     * @param input the producer's input
     * @param <I> input type
     * @param <O> output type
     * @return the outputs in the order they arrived
     */
    protected final <I, O> List<O> run(Pipeline<I, O> pipeline, I input) {
        try (Stream<O> outputs = pipeline.on(executor).stream(input)) {
            return outputs.toList();
        }
    }
}
