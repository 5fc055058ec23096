/**
 * The executor SPI: how executors see pipelines ({@link dev.pyper.spi.Plan},
 * {@link dev.pyper.spi.TaskSpec}), run them ({@link dev.pyper.spi.PipelineExecutor},
 * {@link dev.pyper.spi.Run}) and become known ({@link dev.pyper.spi.ExecutorProvider},
 * {@link dev.pyper.spi.ExecutorRegistry}); rules 2.8 and 7.2.
 */
package dev.pyper.spi;
