package dev.pyper.flink;

import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.flink.client.deployment.executors.PipelineExecutorUtils;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterJobClient;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * Submits a job to a MiniCluster that is already running, rather than to a new one per job as
 * Flink's local environment does (3 to 5 s each): how an embedded cluster is reused across runs
 * and shared between executors. The job client does not stop the cluster when the job ends.
 */
final class MiniClusterSubmitter implements PipelineExecutorServiceLoader, PipelineExecutorFactory, PipelineExecutor {

    /** The value of {@code execution.target} that selects this submitter. */
    static final String TARGET = "pyper-embedded";

    private final MiniCluster cluster;

    MiniClusterSubmitter(MiniCluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public PipelineExecutorFactory getExecutorFactory(Configuration configuration) {
        return this;
    }

    @Override
    public Stream<String> getExecutorNames() {
        return Stream.of(TARGET);
    }

    @Override
    public String getName() {
        return TARGET;
    }

    @Override
    public boolean isCompatibleWith(Configuration configuration) {
        return true;
    }

    @Override
    public PipelineExecutor getExecutor(Configuration configuration) {
        return this;
    }

    @Override
    public CompletableFuture<JobClient> execute(
            org.apache.flink.api.dag.Pipeline pipeline, Configuration configuration, ClassLoader userCodeClassLoader)
            throws Exception {
        StreamGraph graph = PipelineExecutorUtils.getStreamGraph(pipeline, configuration);
        graph.serializeUserDefinedInstances();
        return cluster.submitJob(graph)
                .thenApply(submitted -> new MiniClusterJobClient(
                        submitted.getJobID(),
                        cluster,
                        userCodeClassLoader,
                        MiniClusterJobClient.JobFinalizationBehavior.NOTHING));
    }
}
