/**
 * The executor SPI: how executors see pipelines ({@link dev.pyper.spi.Plan},
 * {@link dev.pyper.spi.TaskSpec}, which also makes a blocking invocation by the task's kind), run
 * them ({@link dev.pyper.spi.PipelineExecutor}, {@link dev.pyper.spi.Run}), become known
 * ({@link dev.pyper.spi.ExecutorProvider}, {@link dev.pyper.spi.ExecutorRegistry}) and keep run
 * metrics ({@link dev.pyper.spi.CallCounter}, {@link dev.pyper.spi.TimeHistogram}); rules 2.2 to
 * 2.4, 2.8, 7.2 and 8.5.
 */
package dev.pyper.spi;
