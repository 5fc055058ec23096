/**
 * The {@code process} executor, and {@code multiprocess()} tasks under every executor: invocations
 * in forked worker JVMs.
 */
module dev.pyper.executor.process {
    requires transitive dev.pyper.api;
    requires dev.pyper.engine;
    requires org.slf4j;

    exports dev.pyper.process;

    provides dev.pyper.spi.ExecutorProvider with
            dev.pyper.process.ProcessExecutorProvider;
    provides dev.pyper.engine.MultiprocessSupport with
            dev.pyper.process.ProcessMultiprocessSupport;
}
