/**
 * Pyper for Java: plain Java functions as concurrent, parallel data pipelines.
 *
 * <p>Build a pipeline from {@link dev.pyper.Task}s, join them with
 * {@link dev.pyper.Pipeline#pipe}, and pull the outputs as a lazy stream with
 * {@link dev.pyper.Pipeline#stream}. The executor that runs it (platform threads, virtual
 * threads, processes, a cluster) is chosen per deployment (rule 2.8). The numbered rules cited in
 * the Javadoc are those of the project's specification, {@code docs/SPEC.md}.
 */
package dev.pyper;
