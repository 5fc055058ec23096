package dev.pyper.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * W12, batching (issue 22): a producer of N Integers → lists of 100, handed on when full, after
 * 50 ms or at the end → the sum of each list, one worker each, buffers of 1024 items; items per
 * second. Pyper's {@code batch(100, 50 ms)} against the same batcher written by hand
 * ({@link HandBatcher}: three threads and two {@code ArrayBlockingQueue}s). Target: Pyper ≥ 1.0×
 * the hand-written batcher on the in-JVM executors.
 */
final class BatchWorkload implements Workload {

    private static final int SIZE = 100;
    private static final Duration MAX_WAIT = Duration.ofMillis(50);

    @Override
    public String id() {
        return "W12";
    }

    @Override
    public String title() {
        return "W12 batching: producer → batch(100, 50 ms) → sum of each list";
    }

    @Override
    public String description() {
        return "Items per second through a producer, a batch of up to " + SIZE + " items that waits "
                + MAX_WAIT.toMillis()
                + " ms at most, and a task that sums each list; buffers of 1024 items. `abq-chain` runs the same batcher "
                + "written by hand (three threads, `ArrayBlockingQueue`s, a `poll` with the time left). Target: every "
                + "in-JVM Pyper executor ≥ 1.0× the hand-written batcher.";
    }

    @Override
    public List<Row> run(BenchContext bench) {
        int n = bench.options().scaled(1_000_000, 100_000);
        List<Row> rows = new ArrayList<>();
        double byHand = Double.NaN;
        Row handRow = null;
        for (Subject peer : bench.subjects(s -> s instanceof QueueChainSubject)) {
            String caseName = "N=" + n + ", lists of " + SIZE;
            BenchContext.Outcome outcome = measureOnce(bench, caseName, peer, n);
            if (!outcome.ok()) {
                handRow = Row.notRun(caseName, peer.name(), outcome.failure());
                continue;
            }
            byHand = outcome.sample().median();
            handRow = new Row(
                            caseName,
                            peer.name(),
                            Format.perSecond(byHand),
                            outcome.spread(Format::perSecond),
                            "",
                            Row.Verdict.NONE)
                    .with(Row.Figures.of(outcome.sample(), Row.Figures.ITEMS_PER_SECOND));
        }
        for (Subject pyper : bench.subjects(Subject::isPyper)) {
            int items = n / pyper.itemDivisor();
            String caseName = "N=" + items + ", lists of " + SIZE;
            BenchContext.Outcome outcome = measureOnce(bench, caseName, pyper, items);
            if (!outcome.ok()) {
                rows.add(Row.notRun(caseName, pyper.name(), outcome.failure()));
                continue;
            }
            double median = outcome.sample().median();
            double vsHand = median / byHand;
            rows.add(new Row(
                            caseName,
                            pyper.name(),
                            Format.perSecond(median),
                            outcome.spread(Format::perSecond),
                            Double.isNaN(vsHand) ? "" : Format.ratio(vsHand) + " hand-written",
                            Double.isNaN(vsHand) || pyper.crossesProcesses()
                                    ? Row.Verdict.NONE
                                    : Row.Verdict.of(vsHand >= 1.0))
                    .with(Row.Figures.of(outcome.sample(), Row.Figures.ITEMS_PER_SECOND)));
        }
        if (handRow != null) {
            rows.add(handRow);
        }
        return rows;
    }

    private static BenchContext.Outcome measureOnce(BenchContext bench, String caseName, Subject subject, int n) {
        long expected = (long) n * (n - 1) / 2;
        return bench.measure("W12", caseName, subject, () -> {
            long start = System.nanoTime();
            long sum = subject.batched(n, SIZE, MAX_WAIT);
            double seconds = (System.nanoTime() - start) / 1e9;
            BenchContext.verify(subject, expected, sum);
            return n / seconds;
        });
    }
}
