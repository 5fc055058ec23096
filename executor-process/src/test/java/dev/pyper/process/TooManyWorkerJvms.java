package dev.pyper.process;

import java.util.Set;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips, with the reason, the test of the conformance kit that would start more worker JVMs than
 * a test run can afford: {@code rule_2_9_manyWorkersWithThrottleOneNeverDeadlock} asks for
 * {@code workers(64)} on four tasks: about 260 worker JVMs under the process executor, a minute of
 * processor time on two cores, and 64 with the middle task in processes.
 * {@code -Dpyper.tck.process=all} runs it anyway.
 *
 * <p>This is not a declaration of an unsupported rule (rule 7.2): the executor meets rule 2.9 —
 * every engine worker gets a process of its own, never one from a bounded shared pool — and the
 * kit's other test of that rule runs with 40 + 40 workers.
 */
final class TooManyWorkerJvms implements ExecutionCondition {

    private static final Set<String> HEAVY = Set.of("rule_2_9_manyWorkersWithThrottleOneNeverDeadlock");

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if ("all".equals(System.getProperty("pyper.tck.process"))) {
            return ConditionEvaluationResult.enabled("-Dpyper.tck.process=all");
        }
        boolean heavy = context.getTestMethod().map(m -> HEAVY.contains(m.getName())).orElse(false);
        return heavy ? ConditionEvaluationResult.disabled("Worker processes: the test starts 64 worker JVMs per"
                + " multiprocess task (workers(64) on four tasks); run it with -Dpyper.tck.process=all")
                : ConditionEvaluationResult.enabled("a test the process executor runs");
    }
}
