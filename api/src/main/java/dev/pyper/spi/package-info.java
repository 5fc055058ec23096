/**
 * The executor SPI: what an executor needs and users never call. How executors see pipelines
 * ({@link dev.pyper.spi.Plan}, {@link dev.pyper.spi.TaskSpec}, which also makes a blocking
 * invocation by the task's kind), hand out runs ({@link dev.pyper.spi.Run}), become known to
 * {@link java.util.ServiceLoader} ({@link dev.pyper.spi.ExecutorProvider}), keep run metrics
 * ({@link dev.pyper.spi.CallCounter}, {@link dev.pyper.spi.TimeHistogram}) and carry the caller's
 * context into invocations ({@link dev.pyper.spi.ContextPropagator}); rules 2.2 to 2.4, 2.8, 7.2,
 * 8.5 and 8.8. The executor itself implements {@link dev.pyper.PipelineExecutor}.
 */
package dev.pyper.spi;
