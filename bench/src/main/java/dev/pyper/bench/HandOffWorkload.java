package dev.pyper.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * W1, hand-off: a producer of N Integers → x+1 → x*2, one worker each; items per second. Pyper
 * runs it unbounded and with {@code throttle(1024)} on every task; the peers run with their
 * 1024-item buffers. Target: each Pyper variant ≥ 1.0× the queue chain and ≥ the faster Reactor.
 *
 * <p>Contenders that are far slower per item ({@link Subject#itemDivisor()}: {@code mapConcurrent},
 * the process executor) run a tenth or a hundredth of N, which the table shows.
 */
final class HandOffWorkload implements Workload {

    @Override
    public String id() {
        return "W1";
    }

    @Override
    public String title() {
        return "W1 hand-off: producer → x+1 → x*2, one worker each";
    }

    @Override
    public String description() {
        return "Items per second through three one-worker stages, summed by the caller. Target: every in-JVM Pyper "
                + "variant ≥ 1.0× the `abq-chain` and ≥ the faster Reactor, both measured in the same run (`process` "
                + "for information: each item crosses to a worker JVM and back at every task).";
    }

    @Override
    public List<Row> run(BenchContext bench) {
        int n = bench.options().scaled(1_000_000, 100_000);
        List<Row> rows = new ArrayList<>();
        double chain = Double.NaN;
        double reactor = Double.NaN;
        List<Row> peerRows = new ArrayList<>();
        for (Subject peer : bench.subjects(s -> !s.isPyper())) {
            int items = n / peer.itemDivisor();
            String caseName = "N=" + items + ", buffers 1024";
            BenchContext.Outcome outcome =
                    measureOnce(bench, caseName, peer, items, QueueChainSubject.DEFAULT_CAPACITY);
            if (!outcome.ok()) {
                peerRows.add(Row.notRun(caseName, peer.name(), outcome.failure()));
                continue;
            }
            double median = outcome.sample().median();
            if (peer instanceof QueueChainSubject) {
                chain = median;
            } else if (peer instanceof ReactorSubject) {
                reactor = Double.isNaN(reactor) ? median : Math.max(reactor, median);
            }
            peerRows.add(new Row(
                            caseName,
                            peer.name(),
                            Format.perSecond(median),
                            outcome.spread(Format::perSecond),
                            "",
                            Row.Verdict.NONE)
                    .with(Row.Figures.of(outcome.sample(), Row.Figures.ITEMS_PER_SECOND)));
        }
        for (Subject pyper : bench.subjects(Subject::isPyper)) {
            int items = n / pyper.itemDivisor();
            for (int bound : new int[] {0, QueueChainSubject.DEFAULT_CAPACITY}) {
                String caseName = "N=" + items + ", " + (bound == 0 ? "unbounded" : "throttle(" + bound + ")");
                BenchContext.Outcome outcome = measureOnce(bench, caseName, pyper, items, bound);
                if (!outcome.ok()) {
                    rows.add(Row.notRun(caseName, pyper.name(), outcome.failure()));
                    continue;
                }
                double median = outcome.sample().median();
                double vsChain = median / chain;
                double vsReactor = median / reactor;
                List<String> against = new ArrayList<>(); // only the baselines this run measured
                if (!Double.isNaN(vsChain)) {
                    against.add(Format.ratio(vsChain) + " abq-chain");
                }
                if (!Double.isNaN(vsReactor)) {
                    against.add(Format.ratio(vsReactor) + " best Reactor");
                }
                rows.add(new Row(
                                caseName,
                                pyper.name(),
                                Format.perSecond(median),
                                outcome.spread(Format::perSecond),
                                String.join(", ", against),
                                Double.isNaN(vsChain) || Double.isNaN(vsReactor) || pyper.crossesProcesses()
                                        ? Row.Verdict.NONE
                                        : Row.Verdict.of(vsChain >= 1.0 && vsReactor >= 1.0))
                        .with(Row.Figures.of(outcome.sample(), Row.Figures.ITEMS_PER_SECOND)));
            }
        }
        rows.addAll(peerRows);
        return rows;
    }

    private static BenchContext.Outcome measureOnce(
            BenchContext bench, String caseName, Subject subject, int n, int bound) {
        long expected = (long) n * (n + 1);
        return bench.measure("W1", caseName, subject, () -> {
            long start = System.nanoTime();
            long sum = subject.handOff(n, bound);
            double seconds = (System.nanoTime() - start) / 1e9;
            BenchContext.verify(subject, expected, sum);
            return n / seconds;
        });
    }
}
