package dev.pyper.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How worker processes are started and kept: JVM options, and the bounds of the warm pool.
 *
 * @param jvmArgs options passed to each worker's {@code java} before the main class
 * @param maxIdleWorkers how many idle workers the pool keeps warm for later invocations
 * @param idleTimeout how long an idle worker waits in the pool before it ends by itself
 * @param startTimeout how long a worker may take to start and connect
 */
record WorkerOptions(List<String> jvmArgs, int maxIdleWorkers, Duration idleTimeout, Duration startTimeout) {

    /** The system property whose value (options separated by spaces) is added to every worker's JVM options. */
    static final String JVM_ARGS_PROPERTY = "pyper.process.jvmArgs";

    /** Options that make a worker JVM start fast without changing how fast user code runs. */
    static final List<String> BASE_JVM_ARGS = List.of("-Xshare:auto", "-XX:-UsePerfData");

    /** Idle workers kept warm by default: enough for a few tasks with a few workers each. */
    static final int DEFAULT_MAX_IDLE = 8;
    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

    WorkerOptions {
        jvmArgs = List.copyOf(jvmArgs);
    }

    /** The defaults, plus whatever {@value #JVM_ARGS_PROPERTY} adds: what {@code multiprocess} tasks use. */
    static WorkerOptions defaults() {
        List<String> args = new ArrayList<>(BASE_JVM_ARGS);
        args.addAll(fromProperty());
        return new WorkerOptions(args, DEFAULT_MAX_IDLE, DEFAULT_IDLE_TIMEOUT, DEFAULT_START_TIMEOUT);
    }

    static List<String> fromProperty() {
        String value = System.getProperty(JVM_ARGS_PROPERTY, "").strip();
        return value.isEmpty() ? List.of() : Arrays.asList(value.split("\\s+"));
    }
}
