package dev.pyper.flink;

import dev.pyper.PipelineExecutor;
import dev.pyper.tck.LeakCensus;
import dev.pyper.tck.PipelineExecutorVerification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The conformance kit against {@link FlinkExecutor} on an embedded cluster of two TaskManagers.
 *
 * <p>The kit makes a fresh executor per test; a MiniCluster per test would cost 3 to 5 s each, so
 * the class starts one cluster and every executor shares it ({@link FlinkExecutor.Builder#sharedCluster}),
 * as a user would. Each test's leak check still covers the runs: Flink's task threads and this
 * module's own threads are counted; only the shared cluster's own threads, whose pools grow while
 * tests run, are left to the check of the whole cluster when the class ends. Every test of the
 * kit runs but for the rules declared unsupported; the one that takes two minutes runs in the
 * scale profile ({@code -Pscale}, {@link HeavyKitTests}).
 */
@ExtendWith(HeavyKitTests.class)
class FlinkExecutorTckTest extends PipelineExecutorVerification {

    private static EmbeddedFlinkCluster cluster;
    private static LeakCensus beforeCluster;
    private static AutoCloseable clusterThreadsShared;

    @BeforeAll
    static void startSharedCluster() {
        beforeCluster = LeakCensus.take();
        cluster = new EmbeddedFlinkCluster(2, 32).start();
        clusterThreadsShared = LeakCensus.ignoreSharedThreads(FlinkThreads::belongsToACluster);
    }

    @AfterAll
    static void stopSharedCluster() throws Exception {
        clusterThreadsShared.close();
        cluster.close();
        FlinkThreads.assertClusterEnded(beforeCluster);
    }

    @Override
    protected PipelineExecutor createExecutor() {
        return FlinkExecutor.builder().sharedCluster(cluster).build();
    }
}
