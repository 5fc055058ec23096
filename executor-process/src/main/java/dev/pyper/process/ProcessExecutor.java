package dev.pyper.process;

import dev.pyper.engine.Engine;
import dev.pyper.engine.EngineExecutor;
import dev.pyper.engine.WorkerLauncher;
import dev.pyper.spi.Plan;
import dev.pyper.spi.TaskSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Runs every task's invocations in worker JVMs (section 6): for isolation (a crashing native
 * library, a leaking parser, a heap and GC of its own) and for CPU-bound work that should not
 * share a heap with the caller. Registered for {@link java.util.ServiceLoader} as {@value #NAME}.
 *
 * <p>The pipeline logic (queues, ordering, throttle, errors, cancellation) stays in this JVM, in
 * the shared engine, on one platform thread per engine worker; each engine worker hands its
 * invocations to a worker process of its own, over a private Unix-domain socket. Workers run the
 * caller's {@code java} with the caller's class path and the options given to the
 * {@linkplain #builder() builder}; they are started once per engine worker of a run, or taken warm
 * from the pool that the executor keeps between runs, and all end on {@link #close()}.
 *
 * <p>Functions, bound arguments, inputs and outputs cross by serialization (rule 6.3):
 * {@link #start} refuses a plan whose functions cannot be serialized, naming the task. Async
 * tasks cannot run in processes (rule 1.5); under this executor they run in the caller's JVM.
 *
 * <pre>{@code
 * try (ProcessExecutor processes = ProcessExecutor.builder().maxHeap("512m").build()) {
 *     List<Report> reports = pipeline.on(processes).toList(files);
 * }
 * }</pre>
 */
public final class ProcessExecutor extends EngineExecutor {

    /** The name under which this executor is registered: {@code process}. */
    public static final String NAME = "process";

    /** Each engine worker on a platform thread of its own, which mostly waits for its process. */
    private static final WorkerLauncher THREADS =
            (name, body) -> Thread.ofPlatform().name(name).daemon(true).start(body);

    private final WorkerPool pool;

    /** An executor with the default worker options: see {@link Builder}. */
    public ProcessExecutor() {
        this(builder());
    }

    private ProcessExecutor(Builder builder) {
        this(new WorkerPool(builder.options()));
    }

    private ProcessExecutor(WorkerPool pool) {
        super(NAME, new Engine(THREADS, pool));
        this.pool = pool;
    }

    /**
     * Starts configuring an executor.
     *
     * @return a builder with the default options
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Every task but an async one runs in worker processes: its function must be serializable (rule 6.3). */
    @Override
    protected void check(Plan plan) {
        for (TaskSpec task : plan.tasks()) {
            if (!task.kind().isAsync()) {
                task.requireSerializable("under the process executor");
            }
        }
    }

    /**
     * The worker processes that this executor holds now, busy or idle.
     *
     * @return the number of processes
     */
    public int processCount() {
        return pool.size();
    }

    /** Ends every worker process, once the runs have ended, and waits until they have (rule 4.5). */
    @Override
    protected void releaseWorkers() {
        pool.close();
    }

    @Override
    public String toString() {
        return "ProcessExecutor[processes=" + pool.size() + "]";
    }

    /**
     * The options of a {@link ProcessExecutor}: how its worker JVMs start and how many it keeps warm.
     *
     * <pre>{@code
     * ProcessExecutor.builder()
     *         .maxHeap("256m")
     *         .systemProperty("app.mode", "batch")
     *         .jvmArgs("-XX:+UseSerialGC")
     *         .maxIdleWorkers(4)
     *         .build();
     * }</pre>
     *
     * <p>Every worker also gets {@code -Xshare:auto -XX:-UsePerfData} and the options in the system
     * property {@code pyper.process.jvmArgs} (separated by spaces), before those set here.
     */
    public static final class Builder {

        private static final Pattern SIZE = Pattern.compile("[1-9][0-9]*[kKmMgG]?");

        private final List<String> jvmArgs = new ArrayList<>();
        private int maxIdleWorkers = WorkerOptions.DEFAULT_MAX_IDLE;
        private Duration idleTimeout = WorkerOptions.DEFAULT_IDLE_TIMEOUT;
        private Duration startTimeout = WorkerOptions.DEFAULT_START_TIMEOUT;

        private Builder() {}

        /**
         * Sets each worker's maximum heap ({@code -Xmx}).
         *
         * @param size a size as {@code java -Xmx} takes it: {@code 512m}, {@code 2g}
         * @return this builder
         * @throws IllegalArgumentException if {@code size} is not such a size
         */
        public Builder maxHeap(String size) {
            if (size == null || !SIZE.matcher(size).matches()) {
                throw new IllegalArgumentException("maxHeap must be a size such as 512m or 2g, was " + size);
            }
            jvmArgs.add("-Xmx" + size);
            return this;
        }

        /**
         * Sets a system property in each worker ({@code -Dkey=value}).
         *
         * @param key the property's name, not blank
         * @param value its value, not null
         * @return this builder
         * @throws IllegalArgumentException if {@code key} is blank or contains '=', or {@code value} is null
         */
        public Builder systemProperty(String key, String value) {
            if (key == null || key.isBlank() || key.contains("=")) {
                throw new IllegalArgumentException("systemProperty: the key must be a property name, was " + key);
            }
            if (value == null) {
                throw new IllegalArgumentException("systemProperty: the value of '" + key + "' is null");
            }
            jvmArgs.add("-D" + key + "=" + value);
            return this;
        }

        /**
         * Adds options to each worker's {@code java} command, before the main class.
         *
         * @param args options such as {@code -XX:+UseSerialGC}
         * @return this builder
         * @throws IllegalArgumentException if an option is null or does not start with '-'
         */
        public Builder jvmArgs(String... args) {
            for (String arg : args) {
                if (arg == null || !arg.startsWith("-")) {
                    throw new IllegalArgumentException(
                            "jvmArgs: each must be a JVM option starting with '-', was " + arg);
                }
                jvmArgs.add(arg);
            }
            return this;
        }

        /**
         * Sets how many idle workers are kept warm between runs; 8 by default.
         *
         * @param n 0 or more; 0 starts fresh workers for every run
         * @return this builder
         * @throws IllegalArgumentException if {@code n < 0}
         */
        public Builder maxIdleWorkers(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxIdleWorkers must be 0 or more, was " + n);
            }
            this.maxIdleWorkers = n;
            return this;
        }

        /**
         * Sets how long an idle worker waits in the pool before it ends by itself; 30 seconds by default.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is null, zero or negative
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive("idleTimeout", timeout);
            return this;
        }

        /**
         * Sets how long a worker may take to start and connect; 60 seconds by default.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is null, zero or negative
         */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = positive("startTimeout", timeout);
            return this;
        }

        private static Duration positive(String option, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(option + " must be a positive duration, was " + d);
            }
            return d;
        }

        /**
         * Makes the executor. No worker starts until a run needs one.
         *
         * @return a new executor, which the caller closes
         */
        public ProcessExecutor build() {
            return new ProcessExecutor(this);
        }

        WorkerOptions options() {
            return WorkerOptions.of(jvmArgs, maxIdleWorkers, idleTimeout, startTimeout);
        }
    }
}
