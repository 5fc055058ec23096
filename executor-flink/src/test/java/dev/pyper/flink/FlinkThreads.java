package dev.pyper.flink;

import dev.pyper.tck.LeakCensus;

/**
 * Tells the threads of a Flink cluster from those of the runs on it, for the leak checks.
 *
 * <p>A run's threads are Flink's task threads (each subtask's thread, and the threads it starts,
 * are in Flink's "Flink Task Threads" group) and this module's own ({@code pyper-flink-…}); every
 * other thread that appears while a cluster is up is the cluster's: its RPC actors, I/O pools and
 * network stack, whose pools grow on demand.
 */
final class FlinkThreads {

    private static final String TASK_THREADS = "Flink Task Threads";
    private static final String JVM_WIDE = "FlinkCompletableFutureDelayScheduler";

    private FlinkThreads() {}

    /** Whether {@code t} belongs to a cluster rather than to a run. */
    static boolean belongsToACluster(Thread t) {
        if (t.getName().startsWith("pyper-")) {
            return false;
        }
        for (ThreadGroup g = t.getThreadGroup(); g != null; g = g.getParent()) {
            if (TASK_THREADS.equals(g.getName())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks that stopping the cluster left nothing of it behind, except the one thread that
     * Flink keeps for the JVM's life: the static scheduler of its future time-outs
     * ({@code FlinkCompletableFutureDelayScheduler}), started on first use and never stopped.
     */
    static void assertClusterEnded(LeakCensus beforeCluster) throws Exception {
        try (AutoCloseable jvmWide =
                LeakCensus.ignoreSharedThreads(t -> t.getName().startsWith(JVM_WIDE))) {
            beforeCluster.assertNothingLeft();
        }
    }
}
