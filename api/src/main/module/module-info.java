/**
 * Pyper for Java's API: {@code dev.pyper} for users (tasks, pipelines, executors), the function
 * types in {@code dev.pyper.function}, and the executor SPI in {@code dev.pyper.spi}. No
 * dependencies.
 */
module dev.pyper.api {
    exports dev.pyper;
    exports dev.pyper.function;
    exports dev.pyper.spi;

    uses dev.pyper.spi.ExecutorProvider;
    uses dev.pyper.spi.ContextPropagator;
}
