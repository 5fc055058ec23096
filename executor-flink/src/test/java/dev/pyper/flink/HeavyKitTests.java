package dev.pyper.flink;

import java.util.Set;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Keeps the kit's test that takes longest on Flink out of the README's {@code ./mvnw verify} and
 * in the scale profile ({@code -Pscale}, which {@code .ci/run} runs after it):
 * {@code rule_4_5_aThousandRunsInARowLeaveNothingBehind} is a thousand Flink jobs in a row, each
 * scheduled and deployed by the JobManager (0.1 to 0.2 s on a 2-core machine; W5 of the
 * benchmark), about 2 minutes in all (this module's kit runs with {@code pyper.tck.timeoutScale}
 * 4, so that the kit's 60 s watchdog allows it).
 */
final class HeavyKitTests implements ExecutionCondition {

    private static final Set<String> HEAVY = Set.of("rule_4_5_aThousandRunsInARowLeaveNothingBehind");

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        boolean heavy =
                context.getTestMethod().map(m -> HEAVY.contains(m.getName())).orElse(false);
        if (heavy && !Boolean.getBoolean("pyper.scale")) {
            return ConditionEvaluationResult.disabled(
                    "a scale test (a thousand Flink jobs, about 2 minutes): runs with -Pscale");
        }
        return ConditionEvaluationResult.enabled("a test the Flink executor runs");
    }
}
