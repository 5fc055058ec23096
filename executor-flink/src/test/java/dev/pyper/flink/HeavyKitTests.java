package dev.pyper.flink;

import java.util.Set;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Lets a quick local run leave out the kit's test that takes longest on Flink:
 * {@code rule_4_5_aThousandRunsInARowLeaveNothingBehind} is a thousand Flink jobs in a row, each
 * scheduled and deployed by the JobManager (0.1 to 0.2 s on a 2-core machine; W5 of the
 * benchmark), about 2 minutes in all. It runs by default, in CI too (this module's kit runs with
 * {@code pyper.tck.timeoutScale} 4, so that the kit's 60 s watchdog allows it);
 * {@code -Dpyper.tck.flink=light} skips it, with the reason.
 */
final class HeavyKitTests implements ExecutionCondition {

    private static final Set<String> HEAVY = Set.of("rule_4_5_aThousandRunsInARowLeaveNothingBehind");

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        boolean heavy = context.getTestMethod().map(m -> HEAVY.contains(m.getName())).orElse(false);
        if (heavy && "light".equals(System.getProperty("pyper.tck.flink"))) {
            return ConditionEvaluationResult.disabled("-Dpyper.tck.flink=light: a thousand Flink jobs in a row take about 2 minutes");
        }
        return ConditionEvaluationResult.enabled("a test the Flink executor runs");
    }
}
