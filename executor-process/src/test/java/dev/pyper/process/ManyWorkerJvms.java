package dev.pyper.process;

import java.util.Set;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Lets a quick local run leave out the test of the conformance kit that starts the most worker
 * JVMs: {@code rule_2_9_manyWorkersWithThrottleOneNeverDeadlock} asks for {@code workers(64)} on
 * four tasks, about 260 worker JVMs under the process executor (peak ~8 GiB of memory, ~50 s on
 * two cores) and 64 with the middle task in processes. It runs by default, in CI too;
 * {@code -Dpyper.tck.process=light} skips it, with the reason.
 */
final class ManyWorkerJvms implements ExecutionCondition {

    private static final Set<String> HEAVY = Set.of("rule_2_9_manyWorkersWithThrottleOneNeverDeadlock");

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        boolean heavy = context.getTestMethod().map(m -> HEAVY.contains(m.getName())).orElse(false);
        if (heavy && "light".equals(System.getProperty("pyper.tck.process"))) {
            return ConditionEvaluationResult.disabled("-Dpyper.tck.process=light: the test would start 64 worker JVMs per"
                    + " multiprocess task (workers(64) on four tasks)");
        }
        return ConditionEvaluationResult.enabled("a test the process executor runs");
    }
}
