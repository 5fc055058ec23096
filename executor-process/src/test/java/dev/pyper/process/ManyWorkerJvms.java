package dev.pyper.process;

import java.util.Set;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Keeps the kit's tests that start the most worker JVMs out of the README's {@code ./mvnw verify}
 * and in the scale profile ({@code -Pscale}, which {@code .ci/run} runs after it): rule 2.9's
 * {@code rule_2_9_manyWorkersWithThrottleOneNeverDeadlock} asks for {@code workers(64)} on four
 * tasks, about 260 worker JVMs under the process executor (peak ~8 GiB, ~50 s on two cores), and
 * {@code rule_2_9_everyTaskGetsAllOfItsWorkers} for 40 + 40 workers that wait for each other, 80
 * JVMs started at once. On a machine that runs another build beside them, a JVM took ~21 s to
 * start and the 30 s barrier failed; rule 2.9 stays checked in every default run by the threads
 * and virtual executors' kits, which share the engine's worker start with this one.
 */
final class ManyWorkerJvms implements ExecutionCondition {

    /** The system property, set by the scale profile, that runs these tests. */
    static final String SCALE = "pyper.scale";

    private static final Set<String> HEAVY =
            Set.of("rule_2_9_manyWorkersWithThrottleOneNeverDeadlock", "rule_2_9_everyTaskGetsAllOfItsWorkers");

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        boolean heavy =
                context.getTestMethod().map(m -> HEAVY.contains(m.getName())).orElse(false);
        if (heavy && !Boolean.getBoolean(SCALE)) {
            return ConditionEvaluationResult.disabled(
                    "a scale test (80 to 260 worker JVMs at once): runs with -Pscale");
        }
        return ConditionEvaluationResult.enabled("a test the process executor runs");
    }
}
