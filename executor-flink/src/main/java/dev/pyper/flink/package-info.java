/**
 * The Apache Flink executor: runs a pipeline as a Flink job on an embedded or a remote cluster
 * ({@link dev.pyper.flink.FlinkExecutor}, {@link dev.pyper.flink.EmbeddedFlinkCluster}).
 */
package dev.pyper.flink;
