/**
 * The queue and worker machinery that every in-JVM executor shares. Exported only to the executor
 * modules: users never see it (the user API is {@code dev.pyper.api}).
 */
module dev.pyper.engine {
    requires transitive dev.pyper.api;
    requires org.slf4j;
    requires static com.google.errorprone.annotations; // @GuardedBy, for the compiler only

    exports dev.pyper.engine to
            dev.pyper.executor.threads,
            dev.pyper.executor.virtual,
            dev.pyper.executor.process,
            dev.pyper.executor.flink;

    uses dev.pyper.engine.MultiprocessSupport;
}
