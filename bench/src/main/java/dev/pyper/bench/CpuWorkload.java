package dev.pyper.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * W3, CPU: 40 items of about 25 ms of deterministic CPU work each ({@link Work.Spin}, calibrated
 * once at the start on a warm JIT), workers = cores; speedup over a sequential loop on the
 * caller's thread, measured in the same run. Targets: ≥ 1.8× on 2 cores for the threads
 * executor, ≥ 1.7× for the process executor.
 */
final class CpuWorkload implements Workload {

    private static final int ITEMS = 40;
    private static final long MILLIS_PER_ITEM = 25;

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
        return "Wall time and speedup over a sequential loop of the same work in the same run. Targets: `threads` "
                + "≥ 1.8×, `process` ≥ 1.7× (on 2 cores); other contenders for comparison.";
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
        BenchContext.Outcome baseline = bench.measure("W3", caseName, sequential, () -> {
            long start = System.nanoTime();
            long sum = sequential.parallelMap(items, 1, true, spin);
            double millis = (System.nanoTime() - start) / 1e6;
            BenchContext.verify(sequential, checksum, sum);
            return millis;
        });
        if (!baseline.ok()) {
            rows.add(Row.notRun(caseName, sequential.name(), baseline.failure()));
            return rows;
        }
        double base = baseline.sample().median();
        rows.add(new Row(caseName, sequential.name(), Format.millis(base), baseline.spread(Format::millis),
                "×1.00 (baseline, " + Format.millis(base / items) + " per item)", Row.Verdict.NONE));

        for (Subject subject : bench.subjects(s -> true)) {
            BenchContext.Outcome outcome = bench.measure("W3", caseName, subject, () -> {
                long start = System.nanoTime();
                long sum = subject.parallelMap(items, cores, false, spin);
                double millis = (System.nanoTime() - start) / 1e6;
                BenchContext.verify(subject, checksum, sum);
                return millis;
            });
            if (!outcome.ok()) {
                rows.add(Row.notRun(caseName, subject.name(), outcome.failure()));
                continue;
            }
            double speedup = base / outcome.sample().median();
            Double target = switch (subject.isPyper() ? subject.name() : "") {
                case "threads" -> 1.8;
                case "process" -> 1.7;
                default -> null;
            };
            rows.add(new Row(caseName, subject.name(), Format.millis(outcome.sample().median()),
                    outcome.spread(Format::millis),
                    Format.ratio(speedup) + " speedup" + (target == null ? "" : " (target ×" + target + ")"),
                    target == null ? Row.Verdict.NONE : Row.Verdict.of(speedup >= target)));
        }
        return rows;
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
        public void close() {
        }
    }
}
