/**
 * The demo: source-code statistics over a corpus of Java files, run as a Pyper pipeline with live
 * progress built on the run's metrics. {@link dev.pyper.examples.SourceStats} is the command.
 */
package dev.pyper.examples;
