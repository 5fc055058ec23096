package dev.pyper.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.PipelineExecutor;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The model suite catches executors that break one rule each ({@link BrokenExecutors}): a short
 * series of random cases must report a failure for every one of them.
 */
class BrokenEnginesAreCaughtTest {

    /** Enough cases for each mutation to show, whatever the timing; the series stops at the first failure. */
    private static final int TRIES = 400;
    private static final long SEED = 20261126L;

    @Test
    void ignoringThrottleIsCaught() {
        assertCaught("ignores-throttle", BrokenExecutors::ignoringThrottle);
    }

    @Test
    void reorderingAOneWorkerStageIsCaught() {
        assertCaught("reorders-one-worker-stages", BrokenExecutors::reorderingOneWorkerStages);
    }

    @Test
    void swappingOutputsIsCaught() {
        assertCaught("swaps-output-pairs", BrokenExecutors::swappingOutputPairs);
    }

    @Test
    void droppingTheLastOutputIsCaught() {
        assertCaught("drops-last-output", BrokenExecutors::droppingTheLastOutput);
    }

    @Test
    void leakingAThreadIsCaught() {
        assertCaught("leaks-a-thread", BrokenExecutors::leakingAThread);
    }

    @Test
    void swallowingAFailureIsCaught() {
        assertCaught("swallows-failures", BrokenExecutors::swallowingFailures);
    }

    @Test
    void aHangIsReportedWithAThreadDumpAndTheSeed() {
        String failure = assertCaught("hangs", BrokenExecutors::hanging, 2);
        assertTrue(failure.contains("HANG") && failure.contains("-Dpyper.model.seed=") && failure.contains("model-case-driver"),
                "a hang report names the seed and dumps the threads: " + failure);
    }

    private static String assertCaught(String name, Supplier<PipelineExecutor> broken) {
        return assertCaught(name, broken, 60);
    }

    private static String assertCaught(String name, Supplier<PipelineExecutor> broken, int caseTimeoutSeconds) {
        Target target = new Target(name, broken, new Capabilities(false, true), List.of("pyper-threads-idle"));
        ModelSuite.Report report = ModelSuite.run(target, new ModelSettings(TRIES, SEED, caseTimeoutSeconds, 1), 1);
        System.out.println(report.summary());
        assertFalse(report.failures().isEmpty(), "the model suite did not catch the broken executor '" + name + "': " + report.summary());
        String failure = report.failures().get(0);
        System.out.println("  caught: " + failure.lines().findFirst().orElse(failure));
        return failure;
    }
}
