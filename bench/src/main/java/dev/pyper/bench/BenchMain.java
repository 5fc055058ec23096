package dev.pyper.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs the benchmark of the benchmark issue: workloads W1 … W14 on every Pyper executor on the
 * class path and on the peers, in one run; prints a markdown table per workload and writes the
 * report (by default {@code docs/benchmarks.md}).
 *
 * <pre>
 * ./mvnw -q -pl bench -am package -Dmaven.test.skip=true -Pbench                     # full run, writes docs/benchmarks.md
 * ./mvnw -q -pl bench -am package -Dmaven.test.skip=true -Pbench -Dbench.quick=true     # smoke run, writes nothing
 * ./mvnw -q -pl bench -am package -Dmaven.test.skip=true -Pbench -Dbench.only=W1,W5 -Dbench.subjects=virtual,abq-chain
 * ./mvnw -q -pl bench -am package -Dmaven.test.skip=true -Pbench -Dbench.chartsOnly=true  # measures nothing: docs/charts/ from docs/benchmarks.csv
 * </pre>
 *
 * <p>Options ({@link BenchOptions}): {@code bench.quick}, {@code bench.only}, {@code bench.subjects},
 * {@code bench.runs}, {@code bench.warmups}, {@code bench.out} ({@code none} to write nothing),
 * {@code bench.chartsOnly}, as system properties or as {@code name=value} program arguments.
 */
public final class BenchMain {

    /** The system property of rule 8.8 that turns context propagation off: {@code pyper.context}. */
    static final String CONTEXT = "pyper.context";

    private BenchMain() {}

    /**
     * Runs the benchmark.
     *
     * @param args options as {@code name=value}, such as {@code bench.quick=true}
     * @throws Exception if the harness fails
     */
    public static void main(String[] args) throws Exception {
        run(BenchOptions.parse(args), System.out, System.err);
    }

    /**
     * Runs the workloads that the options name and writes the report where they say, with its
     * results file and charts beside it; or, with {@code bench.chartsOnly}, only draws the charts
     * again ({@link #chartsOnly}).
     *
     * @param options what to run
     * @param tables where each workload's table is printed as it completes
     * @param log where progress goes, and the files written
     * @return the report file written (the charts' directory with {@code bench.chartsOnly}), or null
     * @throws Exception if the harness fails
     */
    public static Path run(BenchOptions options, PrintStream tables, PrintStream log) throws Exception {
        if (options.chartsOnly()) {
            return chartsOnly(options.out() != null ? options.out() : BenchOptions.DEFAULT_OUT, log);
        }
        if (System.getProperty(CONTEXT) == null) {
            // pyper-context is on the class path for W11 alone: every other case measures what a user without it gets
            System.setProperty(CONTEXT, "none");
        }
        long start = System.nanoTime();
        Machine machine = Machine.current();
        try (Contenders contenders = Contenders.open(options, log)) {
            Report report = new Report(machine, options, contenders);
            tables.print(report.markdown());
            for (Workload workload : workloads()) {
                if (options.runs(workload.id())) {
                    List<Row> rows = workload.run(new BenchContext(options, contenders, log));
                    tables.print(report.add(workload, rows));
                    tables.flush();
                }
            }
            report.finish((System.nanoTime() - start) / 1e9);
            if (options.out() == null) {
                return null;
            }
            for (Path file : report.writeTo(options.out())) {
                log.println("Wrote " + file.toAbsolutePath());
            }
            return options.out();
        }
    }

    /**
     * Draws the charts again from the results file beside {@code report}, measuring nothing, and
     * says which of them the report does not embed yet.
     *
     * @param report the markdown report, such as {@code docs/benchmarks.md}
     * @param log where the files written go
     * @return the charts' directory
     * @throws Exception if the results file cannot be read or a chart written
     */
    static Path chartsOnly(Path report, PrintStream log) throws Exception {
        Path csv = Results.beside(report);
        if (!Files.exists(csv)) {
            throw new IllegalStateException("No results file " + csv.toAbsolutePath()
                    + " to draw the charts from; a benchmark run " + "writes it beside " + report.getFileName());
        }
        List<Charts.Chart> charts = Charts.of(Results.read(csv));
        Path directory = report.resolveSibling(Charts.DIRECTORY);
        String markdown = Files.exists(report) ? Files.readString(report, StandardCharsets.UTF_8) : "";
        for (Path file : Charts.write(charts, directory)) {
            log.println("Wrote " + file.toAbsolutePath());
        }
        for (Charts.Chart c : charts) {
            if (!markdown.contains(c.embed())) {
                log.println(report.getFileName() + " does not embed " + c.fileName() + " (a benchmark run adds it): "
                        + c.embed());
            }
        }
        return directory;
    }

    /** Every workload, in report order. */
    static List<Workload> workloads() {
        return List.of(
                new HandOffWorkload(),
                new FanOutWorkload(false),
                new CpuWorkload(),
                new MemoryWorkload(),
                new RunOverheadWorkload(),
                new FanOutWorkload(true),
                new FirstRunWorkload(),
                new IoAtScaleWorkload(),
                new IpcWorkload(),
                new MetricsCostWorkload(),
                new EcosystemCostWorkload(),
                new BatchWorkload(),
                new RateWorkload(),
                new KeyedWorkload());
    }
}
