/** The {@code virtual} executor: every task's workers on virtual threads. */
module dev.pyper.executor.virtual {
    requires transitive dev.pyper.api;
    requires dev.pyper.engine;

    exports dev.pyper.virtual;

    provides dev.pyper.spi.ExecutorProvider with
            dev.pyper.virtual.VirtualThreadExecutorProvider;
}
