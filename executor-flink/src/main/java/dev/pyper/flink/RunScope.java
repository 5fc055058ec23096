package dev.pyper.flink;

import dev.pyper.engine.OnDemandProcesses;
import dev.pyper.spi.ContextPropagator;
import dev.pyper.spi.Plan;

/**
 * What a run's operators need at run time: the plan, the producer's input and where failures are
 * recorded. Resolved from a {@link RunRef} when an operator opens.
 *
 * @param plan the pipeline
 * @param input the producer's input
 * @param failures the run's failures as thrown (read by the caller only on the embedded cluster)
 * @param outputs where the last task's outputs go on the embedded cluster; null for a remote run
 * @param counters the run's metrics: read by the caller on the embedded cluster; on a remote one,
 *     each operator's own, reported through {@link TaskAccumulator}
 * @param processes where {@code multiprocess} tasks run: the executor's, kept warm between runs, on
 *     the embedded cluster; on a remote one, each operator's own, closed with it
 * @param earlyEnds which tasks a join that returned early has left without a consumer (rule 8.3):
 *     shared by the operators on the embedded cluster; on a remote one, each operator's own
 * @param handoff the values that cannot be serialized, handed between tasks by reference on the
 *     embedded cluster (rule 2.2); null for a remote run
 * @param context the context of the thread that started the run, restored around each invocation
 *     (rule 8.8): as captured on the embedded cluster; on a remote one, what could be carried
 */
record RunScope(
        Plan plan,
        Object input,
        Failures failures,
        OutputChannel outputs,
        RunCounters counters,
        OnDemandProcesses processes,
        EarlyEnds earlyEnds,
        Handoff handoff,
        ContextPropagator.Captured context) {

    /** Whether the run was shipped to a remote cluster: its operators have copies of it of their own. */
    boolean remote() {
        return outputs == null;
    }
}
