package dev.pyper.tck.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.pyper.PipelineExecutor;
import dev.pyper.tck.Tck;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The kit's own mutation test: for each deliberately broken executor ({@link Mutants}), the kit's
 * test of the rule it breaks fails in <em>every</em> invocation ({@code -Dtck.repeat=N} runs each N
 * times, so a catch that depends on timing shows), and the {@link ReferenceExecutor} passes the
 * same test in every invocation. A kit that passes a broken executor certifies nothing.
 *
 * <p>tck/README.md lists every mutant with its rule and the test that catches it.
 */
class MutationTest {

    /** The reference's outcome per kit test, run once per JVM. */
    private static final Map<String, Outcome> REFERENCE = new ConcurrentHashMap<>();

    // ---- caught by the kit ----

    @Test
    void ignoresThrottle() {
        assertCaught(Mutants.IgnoresThrottle::new, "rule_2_6_throttlePausesTheProducerWhenTheNextTaskIsBlocked");
    }

    @Test
    void batchIgnoresMaxWait() {
        assertCaught(Mutants.BatchIgnoresMaxWait::new, "rule_10_8_aBatchGoesWhenMaxWaitHasPassedSinceItsFirstInput");
    }

    @Test
    void batchWaitsFromItsLastInput() {
        assertCaught(
                Mutants.BatchWaitsFromItsLastInput::new, "rule_10_8_aBatchGoesWhenMaxWaitHasPassedSinceItsFirstInput");
    }

    @Test
    void workersOneAtATime() {
        assertCaught(Mutants.WorkersOneAtATime::new, "rule_2_5_nWorkersRunNInvocationsAtTheSameTime");
    }

    @Test
    void producerCalledTwice() {
        assertCaught(
                Mutants.ProducerCalledTwice::new,
                "rule_2_1_theFirstOutputArrivesWhileTheProducerStillRuns",
                "rule_1_1_aTaskIsAPipelineOfOneTask");
    }

    @Test
    void producerInputDropped() {
        assertCaught(
                Mutants.ProducerInputDropped::new,
                "rule_2_1_anInfiniteProducerWorks",
                "rule_1_1_aTaskIsAPipelineOfOneTask");
    }

    @Test
    void nullOutputsDropped() {
        assertCaught(Mutants.NullOutputsDropped::new, "rule_2_2_aPlainTaskPassesItsReturnValueOnWhateverItsType");
    }

    @Test
    void branchReadToTheEndFirst() {
        assertCaught(Mutants.BranchReadToTheEndFirst::new, "rule_2_3_eachElementIsPassedOnAsSoonAsItIsProduced");
    }

    @Test
    void joinWorkersEachSeeEveryItem() {
        assertCaught(
                Mutants.JoinWorkersEachSeeEveryItem::new,
                "rule_2_4_severalJoinWorkersShareTheStreamEachOutputGoingToOne");
    }

    @Test
    void asyncStagesUnbounded() {
        assertCaught(Mutants.AsyncStagesUnbounded::new, "rule_5_1_anAsyncTaskKeepsUpToWorkersStagesInFlight");
    }

    @Test
    void windowWiderThanWorkers() {
        assertCaught(Mutants.WindowWiderThanWorkers::new, "rule_3_3_theReorderWindowHoldsAtMostWorkersInputs");
    }

    @Test
    void orderLostOnceInputEnded() {
        assertCaught(Mutants.OrderLostOnceInputEnded::new, "rule_3_3_theLastInputsKeepTheirOrderAfterTheInputHasEnded");
    }

    @Test
    void lostWakeUpAtTheEnd() {
        assertCaught(Mutants.LostWakeUpAtTheEnd::new, "rule_2_5_workersIdleWhenTheirInputEndsAllSeeTheEnd");
    }

    @Test
    void swapsOutputPairs() {
        assertCaught(Mutants.SwapsOutputPairs::new, "rule_3_1_oneWorkerEverywhereKeepsTheOrderOfProduction");
    }

    @Test
    void dropsTheLastOutput() {
        assertCaught(
                Mutants.DropsTheLastOutput::new,
                "rule_2_3_aBranchTaskPassesOnEachElementOfItsResult",
                "rule_3_1_oneWorkerEverywhereKeepsTheOrderOfProduction");
    }

    @Test
    void swallowsFailures() {
        assertCaught(Mutants.SwallowsFailures::new, "rule_4_1_aCheckedExceptionEndsTheRunAsItsCauseNamingTaskAndInput");
    }

    @Test
    void laterFailureBecomesTheCause() {
        assertCaught(
                Mutants.LaterFailureBecomesTheCause::new,
                "rule_4_3_theFirstFailureIsTheCauseAndLaterOnesAreSuppressed");
    }

    @Test
    void clearsTheCallersInterruptFlag() {
        assertCaught(
                Mutants.ClearsTheCallersInterruptFlag::new, "rule_4_4_anInterruptedCallerCancelsTheRunAndKeepsItsFlag");
    }

    @Test
    void leaksAThreadPerEarlyClose() {
        assertCaught(Mutants.LeaksAThreadPerEarlyClose::new, "rule_4_4_closingEarlyStopsAnInfiniteProducer");
    }

    @Test
    void leaksAThreadPerRun() {
        assertCaught(Mutants.LeaksAThreadPerRun::new, "rule_4_5_failedAndCancelledRunsLeaveNothingBehind");
    }

    /** Caught by the kit's bounded wait (Tck.timeout(), so about 10 s an invocation) for the first output of a pull on a thread of its own. */
    @Test
    void firstPullHangs() {
        assertCaught(
                Mutants.FirstPullHangs::new,
                "rule_8_7_closingTheExecutorEndsABlockedPullAndTheWorkersWhereverTheyAreBlocked");
    }

    @Test
    void throttleHoldsOneMore() {
        assertCaught(Mutants.ThrottleHoldsOneMore::new, "rule_2_6_throttlePausesTheProducerWhenTheNextTaskIsBlocked");
    }

    @Test
    void keysIgnored() {
        assertCaught(
                Mutants.KeysIgnored::new,
                "rule_10_10_aBusyKeyHoldsNoWorkerBack_aFreeWorkerTakesTheNextInputOfAnotherKey");
    }

    @Test
    void burstPerWorker() {
        assertCaught(
                Mutants.BurstPerWorker::new,
                "rule_10_1_aBurstStartsAtOnceThenOneInvocationPerIntervalAcrossAllWorkers");
    }

    // ---- caught by any test of their rule ----

    @Test
    void failureStopsOnlyTheFailingTask() {
        assertCaughtByRule(Mutants.FailureStopsOnlyTheFailingTask::new, "4.2");
    }

    @Test
    void closeForgetsTheProducer() {
        assertCaughtByRule(Mutants.CloseForgetsTheProducer::new, "4.4");
    }

    @Test
    void closeReturnsBeforeTheWorkersEnd() {
        assertCaughtByRule(Mutants.CloseReturnsBeforeTheWorkersEnd::new, "4.4");
    }

    @Test
    void emitIgnoresCancellation() {
        assertCaughtByRule(Mutants.EmitIgnoresCancellation::new, "8.2");
    }

    @Test
    void joinCannotStopTheTasksBeforeIt() {
        assertCaughtByRule(Mutants.JoinCannotStopTheTasksBeforeIt::new, "8.3");
    }

    @Test
    void failedInvocationsNotCounted() {
        assertCaughtByRule(Mutants.FailedInvocationsNotCounted::new, "8.5");
    }

    @Test
    void outputsCountedBeforeHandOff() {
        assertCaughtByRule(Mutants.OutputsCountedBeforeHandOff::new, "8.5");
    }

    // ---- the machinery ----

    /** What the invocations of one kit test did. */
    private static final class Outcome {
        int invocations;
        int failed;
        int other;
        String firstFailure;

        @Override
        public String toString() {
            return failed + " of " + invocations + " failed" + (other > 0 ? ", " + other + " skipped or aborted" : "")
                    + (firstFailure != null ? ": " + firstFailure : "");
        }
    }

    /** Every invocation of each named kit test fails on the mutant and passes on the reference. */
    private static void assertCaught(Supplier<PipelineExecutor> mutant, String... tests) {
        List<String> names = List.of(tests);
        Map<String, Outcome> broken = launch(mutant, names::contains);
        String mutantName = mutant.get().getClass().getSimpleName();
        for (String test : names) {
            Outcome outcome = broken.get(test);
            assertTrue(outcome != null, "kit test " + test + " did not run");
            System.out.println("[mutation] " + mutantName + " / " + test + ": " + outcome);
            assertEquals(Tck.repeat(), outcome.invocations, "invocations of " + test);
            assertEquals(
                    outcome.invocations,
                    outcome.failed,
                    () -> mutantName + " passed "
                            + (outcome.invocations - outcome.failed)
                            + " of " + outcome.invocations + " invocations of " + test
                            + ": the kit does not catch it every time");
        }
        assertReferencePasses(names);
    }

    /** Some kit test of {@code rule} fails in every invocation on the mutant; the reference passes all of them. */
    private static void assertCaughtByRule(Supplier<PipelineExecutor> mutant, String rule) {
        String prefix = "rule_" + rule.replace('.', '_') + "_";
        Map<String, Outcome> broken = launch(mutant, name -> name.startsWith(prefix));
        String mutantName = mutant.get().getClass().getSimpleName();
        assertTrue(!broken.isEmpty(), "no kit test of rule " + rule + " ran");
        broken.forEach(
                (test, outcome) -> System.out.println("[mutation] " + mutantName + " / " + test + ": " + outcome));
        boolean caught =
                broken.values().stream().anyMatch(o -> o.invocations == Tck.repeat() && o.failed == o.invocations);
        if (!caught) {
            fail(mutantName + " is not caught in every invocation by any kit test of rule " + rule + ": " + broken);
        }
        assertReferencePasses(List.copyOf(broken.keySet()));
    }

    private static void assertReferencePasses(List<String> tests) {
        List<String> missing =
                tests.stream().filter(t -> !REFERENCE.containsKey(t)).toList();
        if (!missing.isEmpty()) {
            REFERENCE.putAll(launch(ReferenceExecutor::new, missing::contains));
        }
        for (String test : tests) {
            Outcome outcome = REFERENCE.get(test);
            assertTrue(outcome != null, "kit test " + test + " did not run on the reference");
            assertEquals(Tck.repeat(), outcome.invocations, "invocations of " + test + " on the reference");
            assertEquals(
                    0,
                    outcome.failed + outcome.other,
                    () -> "the reference executor must pass " + test + ": " + outcome);
        }
    }

    /** Runs the kit's tests whose method names {@code select} accepts against {@code executors}; their outcomes by name. */
    private static Map<String, Outcome> launch(Supplier<PipelineExecutor> executors, Predicate<String> select) {
        PostDiscoveryFilter chosen = descriptor -> descriptor
                .getSource()
                .filter(MethodSource.class::isInstance)
                .map(source -> FilterResult.includedIf(select.test(((MethodSource) source).getMethodName())))
                .orElse(FilterResult.included("a container"));
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(MutantKit.class))
                .filters(chosen)
                .build();
        Map<String, Outcome> outcomes = new TreeMap<>();
        MutantKit.executors = executors;
        try {
            LauncherFactory.create().execute(request, new TestExecutionListener() {
                @Override
                public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                    if (!test.isTest()) {
                        return;
                    }
                    Outcome outcome = outcomes.computeIfAbsent(name(test), n -> new Outcome());
                    outcome.invocations++;
                    switch (result.getStatus()) {
                        case FAILED -> {
                            outcome.failed++;
                            if (outcome.firstFailure == null) {
                                outcome.firstFailure = result.getThrowable()
                                        .map(MutationTest::firstLine)
                                        .orElse("?");
                            }
                        }
                        case ABORTED -> outcome.other++;
                        case SUCCESSFUL -> {}
                    }
                }

                @Override
                public void executionSkipped(TestIdentifier test, String reason) {
                    if (test.isTest()) {
                        Outcome outcome = outcomes.computeIfAbsent(name(test), n -> new Outcome());
                        outcome.invocations++;
                        outcome.other++;
                    }
                }
            });
        } finally {
            MutantKit.executors = null;
        }
        return outcomes;
    }

    private static String name(TestIdentifier test) {
        return test.getSource()
                .filter(MethodSource.class::isInstance)
                .map(s -> ((MethodSource) s).getMethodName())
                .orElse(test.getDisplayName());
    }

    private static String firstLine(Throwable t) {
        String text = String.valueOf(t);
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 197) + "..." : line;
    }
}
