package dev.pyper.model;

import dev.pyper.engine.MultiprocessSupport;
import dev.pyper.process.ProcessExecutor;
import dev.pyper.threads.ThreadExecutor;
import dev.pyper.virtual.VirtualThreadExecutor;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;

/** The executors under test, as {@link Target}s. */
final class Targets {

    private Targets() {}

    /** Whether {@code multiprocess()} tasks can run: the process executor's support is on the class path. */
    static boolean multiprocessAvailable() {
        return ServiceLoader.load(MultiprocessSupport.class).findFirst().isPresent();
    }

    /**
     * The threads executor; {@code multiprocess()} tasks too where the process executor's support
     * is on the class path, whose warm worker processes' output forwarders may outlive a run.
     */
    static Target threads() {
        return new Target(
                "threads",
                ThreadExecutor::new,
                new Capabilities(multiprocessAvailable(), true),
                List.of("pyper-threads-idle", "pyper-process-"));
    }

    /**
     * The process executor: every task's invocations in worker JVMs (async ones aside, rule 1.5).
     * No nested pipelines (the executor a nested pipeline is bound to does not cross to the worker),
     * and at most 2 workers per task, as each worker is a JVM; its warm processes' output
     * forwarders ({@code pyper-process-…}) may outlive a run.
     */
    static Target processes() {
        return new Target(
                "process", ProcessExecutor::new, new Capabilities(false, false, 2), List.of("pyper-process-"));
    }

    /**
     * The threads executor keeping at most one idle thread for a millisecond: threads come and go
     * all the time, which exercises the pool's hand-over of jobs to idle threads as they time out.
     */
    static Target threadsChurning() {
        return new Target(
                "threads-churning",
                () -> new ThreadExecutor(1, Duration.ofMillis(1)),
                new Capabilities(false, true),
                List.of("pyper-threads-idle"));
    }

    static Target virtual() {
        return new Target("virtual", VirtualThreadExecutor::new, new Capabilities(false, true), List.of());
    }
}
