/** The {@code threads} executor: every task's workers on pooled platform threads. */
module dev.pyper.executor.threads {
    requires transitive dev.pyper.api;
    requires dev.pyper.engine;
    requires org.slf4j;

    exports dev.pyper.threads;

    provides dev.pyper.spi.ExecutorProvider with
            dev.pyper.threads.ThreadExecutorProvider;
}
