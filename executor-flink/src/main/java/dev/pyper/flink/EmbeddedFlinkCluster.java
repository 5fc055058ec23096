package dev.pyper.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.SecurityOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A Flink cluster inside this JVM (Flink's MiniCluster: one JobManager and {@code taskManagers}
 * TaskManagers of {@code slotsPerTaskManager} slots each), started on first use and kept for
 * every job until {@link #close()}.
 *
 * <p>An {@link FlinkExecutor} in embedded mode makes and owns one; to share one cluster between
 * several executors (or tests), make it yourself and hand it to
 * {@link FlinkExecutor.Builder#sharedCluster}: the executors then neither start nor stop it.
 *
 * <pre>{@code
 * try (EmbeddedFlinkCluster cluster = new EmbeddedFlinkCluster(2, 32)) {
 *     try (FlinkExecutor flink = FlinkExecutor.builder().sharedCluster(cluster).build()) { ... }
 *     try (FlinkExecutor other = FlinkExecutor.builder().sharedCluster(cluster).build()) { ... }
 * }
 * }</pre>
 *
 * <p>A job needs as many slots as its widest task has workers (Flink shares a slot between one
 * subtask of each task). The cluster keeps its temporary files in a private folder, deleted on
 * close, and its REST endpoint on a free loopback port. Thread-safe.
 */
public final class EmbeddedFlinkCluster implements AutoCloseable {

    private final int taskManagers;
    private final int slotsPerTaskManager;
    private MiniCluster cluster;
    private volatile Path tempDir;
    /**
     * Deletes the folder of a cluster that is still up when the JVM exits (an executor never
     * closed, a test JVM ended by {@code System.exit}); registered while the cluster is up.
     */
    private final Thread deleteOnExit = new Thread(this::deleteOnExit, "pyper-flink-delete-on-exit");

    private boolean closed;

    /**
     * A cluster that starts on first use.
     *
     * @param taskManagers how many TaskManagers, at least 1
     * @param slotsPerTaskManager slots of each, at least 1
     * @throws IllegalArgumentException if either is less than 1
     */
    public EmbeddedFlinkCluster(int taskManagers, int slotsPerTaskManager) {
        if (taskManagers < 1) {
            throw new IllegalArgumentException("taskManagers must be at least 1, was " + taskManagers);
        }
        if (slotsPerTaskManager < 1) {
            throw new IllegalArgumentException("slotsPerTaskManager must be at least 1, was " + slotsPerTaskManager);
        }
        this.taskManagers = taskManagers;
        this.slotsPerTaskManager = slotsPerTaskManager;
    }

    /**
     * Starts the cluster now rather than on first use; idempotent.
     *
     * @return this cluster
     * @throws IllegalStateException if it has been closed, or Flink could not start it
     */
    public synchronized EmbeddedFlinkCluster start() {
        if (closed) {
            throw new IllegalStateException("the embedded Flink cluster has been closed");
        }
        if (cluster == null) {
            FlinkLogging.quietenOnce();
            try {
                tempDir = Files.createTempDirectory("pyper-flink-");
                Runtime.getRuntime().addShutdownHook(deleteOnExit);
                MiniCluster started = new MiniCluster(new MiniClusterConfiguration.Builder()
                        .setConfiguration(configuration(tempDir))
                        .setNumTaskManagers(taskManagers)
                        .setNumSlotsPerTaskManager(slotsPerTaskManager)
                        .build());
                started.start();
                cluster = started;
            } catch (Exception e) {
                deleteTempDir();
                throw new IllegalStateException("could not start the embedded Flink cluster: " + e, e);
            }
        }
        return this;
    }

    /** Flink's settings: a private temporary folder, a free REST port, small network buffers so that wide tasks fit. */
    private Configuration configuration(Path tmp) {
        Configuration conf = new Configuration();
        conf.set(CoreOptions.TMP_DIRS, tmp.toString());
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, "0");
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slotsPerTaskManager);
        // no Kerberos or Hadoop here: without this Flink warns that it found no delegation tokens
        conf.set(SecurityOptions.DELEGATION_TOKENS_ENABLED, false);
        // the web endpoint warns when it has no log folder to show; it is given the private one
        conf.set(WebOptions.LOG_PATH, tmp.resolve("log").toString());
        // the REST endpoint's own folders (flink-web-<id>, flink-web-upload) default to java.io.tmpdir and outlive the
        // cluster
        conf.set(WebOptions.TMP_DIR, tmp.resolve("web").toString());
        conf.set(WebOptions.UPLOAD_DIR, tmp.resolve("web-upload").toString());
        // a task of 64 workers after one of 64 has 4,096 channels: 4 KiB segments keep that within bounds
        conf.set(TaskManagerOptions.MEMORY_SEGMENT_SIZE, MemorySize.parse("4kb"));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.parse("128mb"));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.parse("128mb"));
        return conf;
    }

    /** The environment in which a job is built and submitted to this cluster. */
    synchronized StreamExecutionEnvironment environment(Configuration jobConfig) {
        start();
        Configuration conf = new Configuration(jobConfig);
        conf.set(org.apache.flink.configuration.DeploymentOptions.TARGET, MiniClusterSubmitter.TARGET);
        conf.set(org.apache.flink.configuration.DeploymentOptions.ATTACHED, true);
        return new StreamExecutionEnvironment(
                new MiniClusterSubmitter(cluster), conf, EmbeddedFlinkCluster.class.getClassLoader());
    }

    /**
     * How many TaskManagers the cluster has.
     *
     * @return the count given when it was made
     */
    public int taskManagers() {
        return taskManagers;
    }

    /**
     * How many slots it has in all: the most workers one task of a job can have.
     *
     * @return taskManagers × slotsPerTaskManager
     */
    public int slots() {
        return taskManagers * slotsPerTaskManager;
    }

    /**
     * Stops the cluster (cancelling its jobs), waits until it has ended, and deletes its temporary
     * folder. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
    }

    /** The shutdown hook's body: best effort, without the lock that a stuck stop may hold. */
    private void deleteOnExit() {
        Path dir = tempDir;
        if (dir != null) {
            try {
                delete(dir);
            } catch (IOException | RuntimeException e) {
                // the JVM is exiting; nothing to report to
            }
        }
    }

    /** Whether the MiniCluster is up now; for tests. */
    synchronized boolean isRunning() {
        return cluster != null;
    }

    /** Stops the cluster if it runs, so that the next use starts it again; for an idle executor's own cluster. */
    synchronized void stop() {
        if (cluster != null) {
            try {
                cluster.closeAsync().get(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping the embedded Flink cluster", e);
            } catch (Exception e) {
                throw new IllegalStateException("could not stop the embedded Flink cluster: " + e, e);
            } finally {
                cluster = null;
                deleteTempDir();
            }
        }
    }

    private void deleteTempDir() {
        if (tempDir == null) {
            return;
        }
        Path dir = tempDir;
        tempDir = null;
        try {
            Runtime.getRuntime().removeShutdownHook(deleteOnExit);
        } catch (IllegalStateException exiting) {
            // the JVM is exiting and the hook runs anyway
        }
        try {
            delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the embedded Flink cluster's temporary folder " + dir, e);
        }
    }

    /** Deletes a folder and everything in it; files that vanish meanwhile are no error. */
    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Names the cluster's shape. */
    @Override
    public String toString() {
        return "EmbeddedFlinkCluster[taskManagers=" + taskManagers + ", slotsPerTaskManager=" + slotsPerTaskManager
                + "]";
    }
}
