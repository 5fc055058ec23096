package dev.pyper.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * W3, CPU: 40 items of about 25 ms of deterministic CPU work each ({@link Work.Spin}, calibrated
 * once at the start on a warm JIT), workers = cores; speedup over a sequential loop on the
 * caller's thread, measured in pairs so that both halves of a ratio see the same machine load. Targets: ≥ 1.8× on 2 cores for the threads
 * executor, ≥ 1.7× for the process executor.
 */
final class CpuWorkload implements Workload {

    private static final int ITEMS = 40;
    /** The CPU time of one item, as calibrated. */
    static final long MILLIS_PER_ITEM = 25;

    /**
     * A speedup on all cores cannot be judged while other processes use this many cores: the
     * parallel half of a pair then competes for the cores, the sequential half hardly does.
     */
    private static final double BUSY_CORES = 0.5;

    @Override
    public String id() {
        return "W3";
    }

    @Override
    public String title() {
        return "W3 CPU: 40 items × ~25 ms CPU, workers = cores";
    }

    @Override
    public String description() {
        return "Speedup over a sequential loop of the same work on the caller's thread, measured in pairs (each "
                + "parallel run right after a sequential one, so both see the same machine load); median and spread "
                + "of the per-pair speedups. Targets: `threads` ≥ 1.8×, `process` ≥ 1.7× (on 2 cores); other "
                + "contenders for comparison.";
    }

    @Override
    public List<Row> run(BenchContext bench) {
        int cores = Runtime.getRuntime().availableProcessors();
        int items = bench.options().scaled(ITEMS, 8);
        Work.Spin spin = Work.Spin.calibrated(MILLIS_PER_ITEM * 1_000_000);
        long expected = 0;
        for (int i = 0; i < items; i++) {
            expected += spin.apply(i);
        }
        long checksum = expected;
        String caseName = items + " items, " + cores + " workers";
        List<Row> rows = new ArrayList<>();

        Subject sequential = new SequentialLoop();
        Sample.Run sequentialRun = () -> timed(sequential, items, 1, spin, checksum);
        BenchContext.Outcome baseline = bench.measure("W3", caseName, sequential, sequentialRun);
        if (!baseline.ok()) {
            rows.add(Row.notRun(caseName, sequential.name(), baseline.failure()));
            return rows;
        }
        double base = baseline.sample().median();
        rows.add(new Row(
                        caseName,
                        sequential.name(),
                        Format.millis(base),
                        baseline.spread(Format::millis),
                        "baseline, " + Format.millis(base / items) + " per item",
                        Row.Verdict.NONE)
                .with(Row.Figures.of(baseline.sample(), Row.Figures.MILLIS)));

        for (Subject subject : bench.subjects(s -> true)) {
            // Paired runs: each parallel run right after a sequential one, so that both see the same load.
            List<Double> parallelMillis = new ArrayList<>();
            BenchContext.Outcome outcome = bench.measure("W3", caseName, subject, () -> {
                double sequentialMillis = sequentialRun.measure();
                double millis = timed(subject, items, cores, spin, checksum);
                parallelMillis.add(millis);
                return sequentialMillis / millis;
            });
            if (!outcome.ok()) {
                rows.add(Row.notRun(caseName, subject.name(), outcome.failure()));
                continue;
            }
            double speedup = outcome.sample().median();
            Sample wall = new Sample(
                    parallelMillis
                            .subList(parallelMillis.size() - outcome.sample().size(), parallelMillis.size())
                            .stream()
                            .mapToDouble(Double::doubleValue)
                            .toArray());
            double target = target(subject.name(), subject.isPyper());
            Row.Verdict verdict = Double.isNaN(target)
                    ? Row.Verdict.NONE
                    : outcome.foreignCores() >= BUSY_CORES ? Row.Verdict.UNJUDGED : Row.Verdict.of(speedup >= target);
            rows.add(new Row(
                            caseName,
                            subject.name(),
                            Format.ratio(speedup) + " speedup",
                            outcome.spread(Format::ratio),
                            Format.millis(wall.median()) + " median wall"
                                    + (Double.isNaN(target) ? "" : "; target ×" + target),
                            verdict)
                    .with(Row.Figures.of(outcome.sample(), Row.Figures.RATIO)));
        }
        return rows;
    }

    /**
     * The speedup that a contender is held to.
     *
     * @param contender its name
     * @param pyper whether it is a Pyper executor
     * @return ×1.8 for {@code threads}, ×1.7 for {@code process}, NaN for the others
     */
    static double target(String contender, boolean pyper) {
        return switch (pyper ? contender : "") {
            case "threads" -> 1.8;
            case "process" -> 1.7;
            default -> Double.NaN;
        };
    }

    /** Runs the work once on a contender and returns the wall time in milliseconds. */
    private static double timed(Subject subject, int items, int workers, Work work, long checksum) throws Exception {
        long start = System.nanoTime();
        long sum = subject.parallelMap(items, workers, false, work);
        double millis = (System.nanoTime() - start) / 1e6;
        BenchContext.verify(subject, checksum, sum);
        return millis;
    }

    /** The baseline: the same work in a plain loop on the caller's thread. */
    private static final class SequentialLoop implements Subject {
        @Override
        public String name() {
            return "sequential loop";
        }

        @Override
        public String description() {
            return "a plain loop on the caller's thread";
        }

        @Override
        public boolean isPyper() {
            return false;
        }

        @Override
        public boolean virtualThreads() {
            return false;
        }

        @Override
        public long handOff(int n, int bound) {
            throw new UnsupportedOperationException("baseline of W3 only");
        }

        @Override
        public long parallelMap(int n, int workers, boolean ordered, Work work) throws Exception {
            long sum = 0;
            for (int i = 0; i < n; i++) {
                sum += work.apply(i);
            }
            return sum;
        }

        @Override
        public long memory(int n, int bound) {
            throw new UnsupportedOperationException("baseline of W3 only");
        }

        @Override
        public long oneRun(int item) {
            throw new UnsupportedOperationException("baseline of W3 only");
        }

        @Override
        public void close() {}
    }
}
