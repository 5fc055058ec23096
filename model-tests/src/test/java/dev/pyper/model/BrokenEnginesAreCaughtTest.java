package dev.pyper.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pyper.PipelineExecutor;
import dev.pyper.tck.Tck;
import dev.pyper.tck.reference.Mutants;
import dev.pyper.tck.reference.ReferenceExecutor;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The model suite catches broken executors: the conformance kit's {@link Mutants} (from the kit's
 * test-jar), each the kit's {@link ReferenceExecutor} with one bug, the same ones that the kit's
 * own {@code MutationTest} must catch. A short series of random cases must report a failure for
 * each of them, for the rule its bug breaks (the failure names it), while the honest reference
 * passes the whole series.
 *
 * <p>One mutant per kind of bug: the throttle ignored (rule 2.6), outputs reaching
 * the caller in another order (rule 3.1), the last output lost, a failure swallowed (rule 4.1), a
 * thread leaked (rule 4.5) and a hang (the report with a thread dump and the seed).
 */
class BrokenEnginesAreCaughtTest {

    /** Enough cases for each mutation to show, whatever the timing; the series stops at the first failure. */
    private static final int TRIES = 400;

    private static final long SEED = 20261126L;

    /**
     * What the generator may use: as on the threads executor (nested pipelines too), without
     * {@code multiprocess()} tasks, which the reference refuses (it has no worker processes and
     * declares section 6 unsupported).
     */
    private static final Capabilities CAPABILITIES = new Capabilities(false, true);

    /**
     * None: the reference's threads ({@code pyper-ref-<task>-<n>}) are the workers of one run, and
     * each run waits for all of its own before it ends; no thread of it may outlive a run.
     */
    private static final List<String> IDLE_THREADS = List.of();

    /**
     * The honest reference's series: the mutants' whole series ({@link #TRIES} cases from
     * {@link #SEED}), or, when {@code -Dpyper.model.seed} is given, the suite's settings from the
     * system properties (seed, {@code pyper.model.tries}, repeat), to replay one of its cases or to
     * run another series.
     */
    private static ModelSettings referenceSettings() {
        String seed = System.getProperty("pyper.model.seed");
        if (seed == null || seed.isBlank()) {
            return new ModelSettings(TRIES, SEED, ModelSettings.DEFAULT_CASE_TIMEOUT_SECONDS, 1);
        }
        return ModelSettings.fromSystemProperties();
    }

    /**
     * The honest reference passes every case of the mutants' series, so that a mutant's catch is no
     * false alarm of the suite. The series found three bugs of the reference itself, fixed since:
     * a join that saw the end of its input while the run was being cancelled for a failure, and
     * passed on what it made of part of it (seeds -8387036076788539629, 4649114396581177509); a
     * nested run that the cancellation interrupted, kept as a later failure, suppressed (seed
     * -6641744137459652921); and a hang of an {@code ordered()} task waiting for room in its
     * window after the join after it had returned early (seed 6784232113315472151). Replay a case,
     * or run another series, with {@code -Dpyper.model.seed} (see {@link #referenceSettings()}).
     */
    @Test
    void theHonestReferencePassesTheSeries() {
        ModelSuite.Report report = series(
                new Target("ReferenceExecutor", ReferenceExecutor::new, CAPABILITIES, IDLE_THREADS),
                referenceSettings());
        System.out.println(report.summary());
        assertTrue(
                report.failures().isEmpty(),
                () -> "the honest reference executor failed the model suite, so a mutant's"
                        + " catch may be a false alarm: " + report.failures().get(0));
    }

    @Test
    void ignoringTheThrottleIsCaught() {
        assertCaught("IgnoresThrottle", Mutants.IgnoresThrottle::new, "rule 2.6");
    }

    /** Outputs out of order at the caller's end; no mutant of the kit reorders a one-worker stage itself. */
    @Test
    void swappingOutputsIsCaught() {
        assertCaught("SwapsOutputPairs", Mutants.SwapsOutputPairs::new, "rules 3.1, 3.3");
    }

    @Test
    void droppingTheLastOutputIsCaught() {
        assertCaught("DropsTheLastOutput", Mutants.DropsTheLastOutput::new, "Outputs differ from the model's");
    }

    @Test
    void swallowingAFailureIsCaught() {
        assertCaught(
                "SwallowsFailures", Mutants.SwallowsFailures::new, "must fail with a PipelineException (rule 4.1)");
    }

    /**
     * The mutant's leaked thread lives for three times the kit's {@link Tck#timeout()}, 30 s, far
     * longer than the model suite needs to see it busy (5 s after the run) and than this test
     * should wait for it to go (a thread left alive would fail the next series in this JVM): the
     * kit's timeout scale is 0.3 while the series runs, so that it lives 9 s.
     */
    @Test
    void leakingAThreadIsCaught() {
        String scale = System.getProperty(Tck.TIMEOUT_SCALE);
        System.setProperty(Tck.TIMEOUT_SCALE, "0.3");
        try {
            assertCaught("LeaksAThreadPerRun", Mutants.LeaksAThreadPerRun::new, "rule 4.5", "-leaked");
        } finally {
            if (scale == null) {
                System.clearProperty(Tck.TIMEOUT_SCALE);
            } else {
                System.setProperty(Tck.TIMEOUT_SCALE, scale);
            }
        }
    }

    @Test
    void aHangIsReportedWithAThreadDumpAndTheSeed() {
        assertCaught(
                "FirstPullHangs",
                Mutants.FirstPullHangs::new,
                2,
                "HANG",
                "-Dpyper.model.seed=",
                "model-case-driver",
                "FirstPullHangs");
    }

    private static void assertCaught(String name, Supplier<PipelineExecutor> mutant, String... signs) {
        assertCaught(name, mutant, 60, signs);
    }

    /** A series on {@code mutant} fails, and its first failure contains every one of {@code signs}: the mutant's bug. */
    private static void assertCaught(
            String name, Supplier<PipelineExecutor> mutant, int caseTimeoutSeconds, String... signs) {
        ModelSuite.Report report = series(
                new Target(name, mutant, CAPABILITIES, IDLE_THREADS),
                new ModelSettings(TRIES, SEED, caseTimeoutSeconds, 1));
        System.out.println(report.summary());
        assertFalse(
                report.failures().isEmpty(),
                "the model suite did not catch the broken executor '" + name + "': " + report.summary());
        String failure = report.failures().get(0);
        System.out.println("  caught: " + failure.lines().findFirst().orElse(failure));
        for (String sign : signs) {
            assertTrue(
                    failure.contains(sign),
                    () -> "the model suite failed '" + name + "', but not for its bug (no '" + sign + "'): " + failure);
        }
    }

    /** Runs a series, stopping at the first failure; then waits until every thread of the executor has gone. */
    private static ModelSuite.Report series(Target target, ModelSettings settings) {
        try {
            return ModelSuite.run(target, settings, 1);
        } finally {
            awaitNoPyperThread();
        }
    }

    /**
     * A series that stops at a failure closes its executor in the background, or leaves a leaked
     * thread: none of it may reach the next series in this JVM.
     */
    private static void awaitNoPyperThread() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            List<String> left = Thread.getAllStackTraces().keySet().stream()
                    .filter(Thread::isAlive)
                    .map(Thread::getName)
                    .filter(n -> n.startsWith("pyper-") && !n.equals("pyper-timeouts"))
                    .toList(); // the JVM's timer (rule 9.7)
            if (left.isEmpty()) {
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                fail("threads of the executor still alive 60 s after its series: " + left);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
