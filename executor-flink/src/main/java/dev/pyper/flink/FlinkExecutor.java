package dev.pyper.flink;

import dev.pyper.PipelineExecutor;
import dev.pyper.engine.MultiprocessSupport;
import dev.pyper.engine.OnDemandProcesses;
import dev.pyper.spi.ContextPropagator;
import dev.pyper.spi.Plan;
import dev.pyper.spi.Run;
import dev.pyper.spi.TaskSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * Runs each pipeline as an Apache Flink job: for pipelines that outgrow one machine, unchanged
 * (rule 1.6). Registered for {@link java.util.ServiceLoader} as {@value #NAME}, with a low
 * priority, so that it is used only when asked for ({@code -Dpyper.executor=flink} or
 * {@code pipeline.on(flinkExecutor)}).
 *
 * <p>Two modes (see {@link Builder}):
 * <ul>
 *   <li><b>embedded</b> (the default): a Flink cluster inside this JVM ({@link EmbeddedFlinkCluster}),
 *       started on first use, reused by every run and stopped by {@link #close()}; or one that the
 *       caller shares between executors and stops itself. Functions, inputs and failures are handed
 *       over by reference, as the TaskManagers share the caller's JVM.
 *   <li><b>remote</b>: jobs are submitted to a running cluster's JobManager, with the jars to ship;
 *       functions, inputs and outputs cross by Java serialization.
 * </ul>
 *
 * <p>How a plan becomes a job is {@link JobTranslator}'s; how a run is pulled, cancelled and fails
 * is {@link FlinkRun}'s. A task failure fails the job at once (no restarts) and reaches the caller
 * as a {@code PipelineException} whose cause is the user's exception (rule 4.1). What Flink
 * cannot do as the specification asks is declared by {@link #unsupportedRules()} (rule 7.2).
 *
 * <pre>{@code
 * try (FlinkExecutor flink = FlinkExecutor.builder().embedded(2, 8).build()) {
 *     List<Report> reports = pipeline.on(flink).toList(files);
 * }
 * }</pre>
 */
public final class FlinkExecutor implements PipelineExecutor {

    /** The name under which this executor is registered: {@code flink}. */
    public static final String NAME = "flink";

    private final EmbeddedFlinkCluster embedded;
    private final boolean ownsCluster;
    /** Stops an owned cluster when idle; null for a shared or remote one. */
    private final IdleShutdown idleShutdown;

    private final Builder settings;
    private final Set<FlinkRun<?>> runs = ConcurrentHashMap.newKeySet();
    /** The worker processes of multiprocess tasks on the embedded cluster, warm between runs; unused when remote. */
    private final OnDemandProcesses processes = new OnDemandProcesses();

    private volatile boolean closed;

    /** An embedded executor with the default settings, or as the system properties say: see {@link Builder}. */
    public FlinkExecutor() {
        this(builder());
    }

    private FlinkExecutor(Builder builder) {
        this.settings = builder.copy();
        if (settings.remoteHost != null) {
            embedded = null;
            ownsCluster = false;
        } else if (settings.shared != null) {
            embedded = settings.shared;
            ownsCluster = false;
        } else {
            embedded = new EmbeddedFlinkCluster(settings.taskManagers, settings.slotsPerTaskManager);
            ownsCluster = true;
        }
        idleShutdown = ownsCluster ? new IdleShutdown(settings.idleTimeout, embedded::stop) : null;
    }

    /**
     * Starts configuring an executor, with defaults taken from the system properties listed on
     * {@link Builder}.
     *
     * @return a builder
     */
    public static Builder builder() {
        return SystemProperties.applyTo(new Builder());
    }

    /** {@value #NAME}, as {@code -Dpyper.executor=flink} names it (rule 2.8). */
    @Override
    public String name() {
        return NAME;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException also if a task has more workers than the embedded cluster
     *     has slots, if a task is {@code multiprocess} and the process module is not on the class
     *     path, or, for a remote cluster, if a function or the input cannot be serialized
     */
    @Override
    public <O> Run<O> start(Plan plan, Object input) {
        if (closed) {
            throw new IllegalStateException("the Flink executor has been closed");
        }
        OnDemandProcesses.check(plan);
        String runId = UUID.randomUUID().toString();
        ContextPropagator.Captured context = ContextPropagator.installed().capture(); // the caller's (rule 8.8)
        if (embedded == null) {
            return startRemote(plan, input, runId, context);
        }
        for (TaskSpec task : plan.tasks()) {
            if (task.workers() > embedded.slots()) {
                throw new IllegalArgumentException("Task '" + task.name() + "' has " + task.workers()
                        + " workers, but the embedded" + " Flink cluster has " + embedded.slots()
                        + " slots: give it more (FlinkExecutor.builder().embedded(...))");
            }
        }
        OutputChannel channel = new OutputChannel(settings.outputBuffer);
        Failures failures = new Failures();
        RunCounters counters = new RunCounters(plan);
        RunRef ref = RunRef.local(
                runId,
                new RunScope(
                        plan,
                        input,
                        failures,
                        channel,
                        counters,
                        processes,
                        new EarlyEnds(plan),
                        new Handoff(runId),
                        context));
        if (idleShutdown != null) {
            idleShutdown.runStarted();
        }
        try {
            StreamExecutionEnvironment env = embedded.environment(jobConfiguration());
            JobTranslator.translate(env, plan, ref)
                    .sinkTo(new ChannelSink(ref))
                    .name("outputs")
                    .setParallelism(1);
            JobClient job = env.executeAsync("pyper " + plan);
            return track(
                    new FlinkRun<>(plan, job, RunOutputs.of(channel), failures, counters, false, channel::end, run -> {
                        ref.release();
                        runs.remove(run);
                        if (idleShutdown != null) {
                            idleShutdown.runEnded();
                        }
                    }));
        } catch (Exception e) {
            ref.release();
            if (idleShutdown != null) {
                idleShutdown.runEnded();
            }
            throw new IllegalStateException("could not submit the Flink job of " + plan + ": " + e, e);
        }
    }

    private <O> Run<O> startRemote(Plan plan, Object input, String runId, ContextPropagator.Captured context) {
        FlinkLogging.quietenOnce();
        RunRef ref = RunRef.shipped(runId, plan, input, context.carried());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createRemoteEnvironment(
                settings.remoteHost, settings.remotePort, jobConfiguration(), settings.jars.toArray(String[]::new));
        DataStream<Item> outputs = JobTranslator.translate(env, plan, ref);
        CloseableIterator<Item> collected = outputs.collectAsync();
        try {
            JobClient job = env.executeAsync("pyper " + plan);
            return track(new FlinkRun<>(
                    plan,
                    job,
                    RunOutputs.of(collected),
                    new Failures(),
                    new RunCounters(plan),
                    true,
                    () -> {},
                    runs::remove));
        } catch (Exception e) {
            throw new IllegalStateException(
                    "could not submit the Flink job of " + plan + " to " + settings.remoteHost + ":"
                            + settings.remotePort + ": " + e,
                    e);
        }
    }

    private <O> Run<O> track(FlinkRun<O> run) {
        runs.add(run);
        if (closed) {
            run.abort("the executor was closed");
        }
        return run;
    }

    private Configuration jobConfiguration() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        conf.set(PipelineOptions.OPERATOR_CHAINING, false);
        conf.set(ExecutionOptions.BUFFER_TIMEOUT, settings.bufferTimeout);
        return conf;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Flink's executor does not meet rule 2.6 (throttle: Flink's own back-pressure governs its
     * buffers), hence not 5.2's bound either; and not 2.9 where invocations wait for each other
     * across all workers (items are assigned to workers when sent). On a remote cluster, not 8.3:
     * a join that returns early cannot stop the tasks before it, which run in other JVMs. Section 6 holds when the process
     * module is on the class path: a {@code multiprocess} task's invocations run in worker processes
     * of the process module, started by each of its subtasks where it runs.
     */
    @Override
    public Map<String, String> unsupportedRules() {
        return DeclaredGaps.of(MultiprocessSupport.available(), embedded == null);
    }

    /**
     * Cancels the runs still going (their next pull throws, rule 8.7), waits until their jobs have
     * ended, ends the worker processes of {@code multiprocess} tasks that it keeps warm, and stops
     * the embedded cluster if this executor started it. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (FlinkRun<?> run : new ArrayList<>(runs)) {
            run.abort("the executor was closed");
        }
        processes.close();
        if (ownsCluster) {
            idleShutdown.close();
            embedded.close();
        }
    }

    /** The embedded cluster this executor runs on; null for a remote one. For tests. */
    EmbeddedFlinkCluster embeddedCluster() {
        return embedded;
    }

    /** Says where the jobs go: the embedded cluster, or the remote JobManager's address. */
    @Override
    public String toString() {
        return "FlinkExecutor["
                + (embedded == null ? "remote " + settings.remoteHost + ":" + settings.remotePort : embedded) + "]";
    }

    /**
     * The settings of a {@link FlinkExecutor}. Defaults come from system properties, so that a
     * deployment can choose without code:
     *
     * <table>
     *   <caption>System properties</caption>
     *   <tr><th>property</th><th>meaning</th><th>default</th></tr>
     *   <tr><td>{@code pyper.flink.remote}</td><td>{@code host:port} of a JobManager's REST endpoint: remote mode</td><td>unset: embedded</td></tr>
     *   <tr><td>{@code pyper.flink.jars}</td><td>jars to ship to a remote cluster, separated by commas</td><td>none</td></tr>
     *   <tr><td>{@code pyper.flink.taskManagers}</td><td>TaskManagers of the embedded cluster</td><td>1</td></tr>
     *   <tr><td>{@code pyper.flink.slotsPerTaskManager}</td><td>slots of each: the most workers of one task</td><td>64</td></tr>
     *   <tr><td>{@code pyper.flink.bufferTimeoutMillis}</td><td>how long Flink holds a partly filled network buffer</td><td>5</td></tr>
     *   <tr><td>{@code pyper.flink.idleTimeoutSeconds}</td><td>how long the executor's own embedded cluster outlives its last run</td><td>30</td></tr>
     * </table>
     */
    public static final class Builder {

        /** The embedded cluster's shape unless set. */
        static final int DEFAULT_TASK_MANAGERS = 1;

        static final int DEFAULT_SLOTS = 64;

        private int taskManagers = DEFAULT_TASK_MANAGERS;
        private int slotsPerTaskManager = DEFAULT_SLOTS;
        private EmbeddedFlinkCluster shared;
        private String remoteHost;
        private int remotePort;
        private List<String> jars = List.of();
        private Duration bufferTimeout = Duration.ofMillis(5);
        private int outputBuffer = 1024;
        private Duration idleTimeout = Duration.ofSeconds(30);

        Builder() {}

        private Builder copy() {
            Builder b = new Builder();
            b.taskManagers = taskManagers;
            b.slotsPerTaskManager = slotsPerTaskManager;
            b.shared = shared;
            b.remoteHost = remoteHost;
            b.remotePort = remotePort;
            b.jars = List.copyOf(jars);
            b.bufferTimeout = bufferTimeout;
            b.outputBuffer = outputBuffer;
            b.idleTimeout = idleTimeout;
            return b;
        }

        /**
         * Embedded mode with a cluster of this executor's own, started on first use and stopped by
         * {@link FlinkExecutor#close()}.
         *
         * @param taskManagers how many TaskManagers, at least 1
         * @param slotsPerTaskManager slots of each, at least 1; a task's workers must fit in all the slots
         * @return this builder
         * @throws IllegalArgumentException if either is less than 1
         */
        public Builder embedded(int taskManagers, int slotsPerTaskManager) {
            if (taskManagers < 1) {
                throw new IllegalArgumentException("taskManagers must be at least 1, was " + taskManagers);
            }
            if (slotsPerTaskManager < 1) {
                throw new IllegalArgumentException(
                        "slotsPerTaskManager must be at least 1, was " + slotsPerTaskManager);
            }
            this.taskManagers = taskManagers;
            this.slotsPerTaskManager = slotsPerTaskManager;
            this.shared = null;
            this.remoteHost = null;
            return this;
        }

        /**
         * Embedded mode on a cluster that the caller owns and may share with other executors: the
         * executor neither starts nor stops it (it starts on first use; the caller closes it).
         *
         * @param cluster the cluster
         * @return this builder
         * @throws IllegalArgumentException if {@code cluster} is null
         */
        public Builder sharedCluster(EmbeddedFlinkCluster cluster) {
            if (cluster == null) {
                throw new IllegalArgumentException("sharedCluster: the cluster is null");
            }
            this.shared = cluster;
            this.remoteHost = null;
            return this;
        }

        /**
         * Remote mode: submit each run's job to the JobManager whose REST endpoint is at
         * {@code host:port}, shipping {@code jars} (the application's classes, unless the cluster
         * has them on its class path already).
         *
         * @param host the JobManager's host
         * @param port its REST port ({@code rest.port}, 8081 by default)
         * @param jars paths of jars to ship with every job
         * @return this builder
         * @throws IllegalArgumentException if the host is blank, the port out of range or a jar null
         */
        public Builder remote(String host, int port, String... jars) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("remote: the host is blank");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("remote: the port must be 1 to 65535, was " + port);
            }
            for (String jar : jars) {
                if (jar == null || jar.isBlank()) {
                    throw new IllegalArgumentException("remote: a jar path is blank");
                }
            }
            this.remoteHost = host;
            this.remotePort = port;
            this.jars = List.of(jars);
            this.shared = null;
            return this;
        }

        /**
         * How long Flink holds a partly filled network buffer before sending it on: lower gives
         * lower latency per item, higher more throughput.
         *
         * @param timeout at least 0
         * @return this builder
         * @throws IllegalArgumentException if negative or null
         */
        public Builder bufferTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative()) {
                throw new IllegalArgumentException("bufferTimeout must be 0 or more, was " + timeout);
            }
            this.bufferTimeout = timeout;
            return this;
        }

        /**
         * How long the executor's own embedded cluster is kept after its last run ended; then it
         * is stopped, and the next run starts it again (2 to 5 s). An executor that is never
         * closed, such as the JVM's {@linkplain PipelineExecutor#shared() shared} default one, so
         * lets the JVM exit: Flink's threads are not daemons. Has no effect on a shared or remote
         * cluster.
         *
         * @param timeout more than 0
         * @return this builder
         * @throws IllegalArgumentException if not positive, or null
         */
        public Builder idleTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("idleTimeout must be more than 0, was " + timeout);
            }
            this.idleTimeout = timeout;
            return this;
        }

        /**
         * Makes the executor.
         *
         * @return a new executor, which the caller closes
         */
        public FlinkExecutor build() {
            return new FlinkExecutor(this);
        }
    }
}
