package dev.pyper.flink;

import dev.pyper.engine.MultiprocessSupport;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rules that the Flink executor does not meet, each with the argued reason (rule 7.2): what
 * {@link FlinkExecutor#unsupportedRules()} declares and the conformance kit skips. Each was tried
 * against the kit first; the root README lists them.
 */
final class DeclaredGaps {

    private static final String THROTTLE =
            "Flink governs the buffers between tasks by its own credit-based back-pressure:"
                    + " each edge holds whole network buffers (kilobytes of items, per channel), not a count of items, so a producer"
                    + " runs hundreds of items past throttle(t) before it is paused; throttle is accepted and has no effect";
    private static final String STATIC_PARTITIONING = "Flink assigns each item to a worker (a subtask) when it is sent,"
            + " round-robin from each upstream subtask, not when a worker is free: with several upstream subtasks, two items"
            + " can queue for one busy worker while another idles. A task whose invocations wait for each other across all"
            + " its workers (a barrier of workers(n)) can therefore stall; any combination of workers and throttle whose"
            + " invocations do not wait for each other completes (the kit's other 2.9 test, four tasks of 64 workers, passes)";
    private static final String BATCH_THROTTLE =
            "a slow consumer of batches does pause the tasks before it, but through"
                    + " Flink's network buffers (see 2.6), so they run thousands of items ahead of it rather than the bound of this rule;"
                    + " a batch task's throttle is accepted and has no effect";
    private static final String KEYED_THROTTLE =
            "a keyed task holds at most 2 × workers inputs, in one subtask, and a hot key does pause the"
                    + " tasks before it, but through Flink's network buffers (see 2.6), so they run thousands of items ahead"
                    + " of it rather than the bound of this rule";
    private static final String PUBLISHER_BUFFERS =
            "the publisher honours demand, but what it may produce beyond demand"
                    + " is bounded by Flink's network buffers, not by throttle (see 2.6): thousands of small items rather than t";
    private static final String REMOTE_EARLY_JOIN =
            "on a remote cluster a join that returns early drops the rest of its"
                    + " input quietly, but the tasks before it stop only when their input ends: Flink ends an operator at the end of its"
                    + " input, and the join's return cannot reach operators in other JVMs (the embedded cluster's operators share the"
                    + " caller's JVM and stop at their next output), so an infinite producer before such a join never ends";
    private static final String REMOTE_UNSERIALIZABLE =
            "on a remote cluster an output crosses to the next task in another"
                    + " JVM by serialization, so an output that Java serialization refuses fails the run with its type and the task named"
                    + " (rule 6.3) instead of passing on; on the embedded cluster it is handed over by reference and passes, as on threads";
    private static final String NO_PROCESSES =
            "multiprocess tasks need " + MultiprocessSupport.ARTIFACT + " on the class path";

    private DeclaredGaps() {}

    /**
     * The declaration, in either mode.
     *
     * @param processes whether the process module is on the class path, for {@code multiprocess} tasks
     * @param remote whether the executor runs its jobs on a remote cluster
     * @return rule number to reason, unmodifiable
     */
    static Map<String, String> of(boolean processes, boolean remote) {
        Map<String, String> gaps = new TreeMap<>(Map.of(
                "2.6",
                THROTTLE,
                "2.9",
                STATIC_PARTITIONING,
                "5.2",
                PUBLISHER_BUFFERS,
                "10.7",
                BATCH_THROTTLE,
                "10.11",
                KEYED_THROTTLE));
        if (!processes) {
            gaps.put("6", NO_PROCESSES);
        }
        if (remote) {
            gaps.put("2.2", REMOTE_UNSERIALIZABLE);
            gaps.put("8.3", REMOTE_EARLY_JOIN);
        }
        return Collections.unmodifiableMap(gaps);
    }
}
