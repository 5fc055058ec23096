package dev.pyper.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs the benchmark of the benchmark issue: workloads W1 … W10 on every Pyper executor on the
 * class path and on the peers, in one run; prints a markdown table per workload and writes the
 * report (by default {@code docs/benchmarks.md}).
 *
 * <pre>
 * ./mvnw -q -pl bench -am package -Dmaven.test.skip=true -Pbench                     # full run, writes docs/benchmarks.md
 * ./mvnw -q -pl bench -am package -Dmaven.test.skip=true -Pbench -Dbench.quick=true     # smoke run, writes nothing
 * ./mvnw -q -pl bench -am package -Dmaven.test.skip=true -Pbench -Dbench.only=W1,W5 -Dbench.subjects=virtual,abq-chain
 * </pre>
 *
 * <p>Options ({@link BenchOptions}): {@code bench.quick}, {@code bench.only}, {@code bench.subjects},
 * {@code bench.runs}, {@code bench.warmups}, {@code bench.out} ({@code none} to write nothing), as
 * system properties or as {@code name=value} program arguments.
 */
public final class BenchMain {

    private BenchMain() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args options as {@code name=value}, such as {@code bench.quick=true}
     * @throws Exception if the harness fails
     */
    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args);
        Path written = run(options, System.out, System.err);
        if (written != null) {
            System.err.println("Wrote " + written.toAbsolutePath());
        }
    }

    /**
     * Runs the workloads that the options name and writes the report where they say.
     *
     * @param options what to run
     * @param tables where each workload's table is printed as it completes
     * @param log where progress goes
     * @return the report file written, or null
     * @throws Exception if the harness fails
     */
    public static Path run(BenchOptions options, PrintStream tables, PrintStream log) throws Exception {
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
            report.writeTo(options.out());
            return options.out();
        }
    }

    /** Every workload, in report order. */
    static List<Workload> workloads() {
        return List.of(new HandOffWorkload(), new FanOutWorkload(false), new CpuWorkload(), new MemoryWorkload(),
                new RunOverheadWorkload(), new FanOutWorkload(true), new FirstRunWorkload(),
                new IoAtScaleWorkload(), new IpcWorkload(), new MetricsCostWorkload());
    }
}
