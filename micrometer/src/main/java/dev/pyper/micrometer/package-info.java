/**
 * Pyper's run metrics as Micrometer meters: {@link dev.pyper.micrometer.PyperMetrics} binds one
 * run ({@link dev.pyper.micrometer.PipelineRunMetrics}) or every run of a pipeline
 * ({@link dev.pyper.micrometer.MeteredPipeline}) to a {@code MeterRegistry}, and lists the meters.
 */
package dev.pyper.micrometer;
