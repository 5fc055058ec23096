package dev.pyper.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * W5, run overhead: R whole runs of a three-task pipeline (identity → x+1 → x*2) on one item
 * each, one after another; microseconds per run. This is the cost a nested pipeline pays per
 * outer item. Target: under 50 µs per run on virtual threads.
 */
final class RunOverheadWorkload implements Workload {

    private static final double TARGET_MICROS = 50;

    @Override
    public String id() {
        return "W5";
    }

    @Override
    public String title() {
        return "W5 run overhead: whole runs of a 3-task pipeline on one item";
    }

    @Override
    public String description() {
        return "Microseconds per run, averaged over R runs in a row; median over repetitions. Target: `virtual` under "
                + "50 µs per run.";
    }

    @Override
    public List<Row> run(BenchContext bench) {
        int allRuns = bench.options().scaled(10_000, 1_000);
        List<Row> rows = new ArrayList<>();
        for (Subject subject : bench.subjects(s -> true)) {
            int runs = Math.max(1, allRuns / subject.runDivisor());
            String caseName = runs + " runs";
            BenchContext.Outcome outcome = bench.measure("W5", caseName, subject, () -> {
                long start = System.nanoTime();
                long sum = 0;
                for (int i = 0; i < runs; i++) {
                    sum += subject.oneRun(i);
                }
                double micros = (System.nanoTime() - start) / 1e3 / runs;
                BenchContext.verify(subject, (long) runs * (runs + 1), sum);
                return micros;
            });
            if (!outcome.ok()) {
                rows.add(Row.notRun(caseName, subject.name(), outcome.failure()));
                continue;
            }
            double median = outcome.sample().median();
            boolean targeted = subject.isPyper() && subject.virtualThreads();
            rows.add(new Row(
                            caseName,
                            subject.name(),
                            Format.micros(median),
                            outcome.spread(Format::micros),
                            targeted ? "target < " + Format.micros(TARGET_MICROS) : "",
                            targeted ? Row.Verdict.of(median < TARGET_MICROS) : Row.Verdict.NONE)
                    .with(Row.Figures.of(outcome.sample(), Row.Figures.MICROS)));
        }
        return rows;
    }
}
