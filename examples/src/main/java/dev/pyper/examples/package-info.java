/**
 * The demo: source-code statistics over a corpus of Java files, run as a Pyper pipeline with live
 * progress built on the run's metrics. {@link dev.pyper.examples.SourceStats} is the command.
 * {@link dev.pyper.examples.ResilientFetch} fetches from a flaky local HTTP server with retries,
 * timeouts and dead letters; {@link dev.pyper.examples.RequestService} runs a pipeline per request
 * of a small HTTP service and checks that each request's MDC id and trace id reach every log line
 * of the pipeline's functions, and its meters a Micrometer registry.
 */
package dev.pyper.examples;
