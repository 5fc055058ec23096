package dev.pyper.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * W13, the rate limit's accuracy (issue 22): a producer → {@code task(x -> x, workers(4),
 * rate(r).burst(b))} for ten seconds' worth of items at the asked rate; the achieved rate is the
 * items after the burst divided by the run's wall time. Two rates: 50 per second with a burst of
 * 1 (an API's quota) and 10,000 per second with a burst of 100. Target: within 2 % of the asked
 * rate, and never above it by more than the clock's grain (rule 10.1).
 */
final class RateWorkload implements Workload {

    private static final int WORKERS = 4;

    /** One case: the asked rate and burst. */
    private record Asked(double perSecond, int burst) {}

    private static final List<Asked> CASES = List.of(new Asked(50, 1), new Asked(10_000, 100));

    @Override
    public String id() {
        return "W13";
    }

    @Override
    public String title() {
        return "W13 rate limit accuracy: producer → task(x -> x, workers(4), rate(r).burst(b)), 10 s";
    }

    @Override
    public String description() {
        return "The achieved rate of a task with `rate(r).burst(b)` and four workers, over ten seconds' worth of "
                + "items at the asked rate (two in quick mode): the items after the burst divided by the run's "
                + "wall time, one run per case. Target: within 2 % of the asked rate, never more than 1 % above it.";
    }

    @Override
    public List<Row> run(BenchContext bench) {
        double seconds = bench.options().quick() ? 2 : 10;
        List<Row> rows = new ArrayList<>();
        for (Asked asked : CASES) {
            int n = (int) Math.round(asked.perSecond() * seconds) + asked.burst();
            String caseName = String.format(Locale.ROOT, "r=%,.0f/s, burst %d", asked.perSecond(), asked.burst());
            for (Subject pyper : bench.subjects(Subject::isPyper)) {
                BenchContext.Outcome outcome = bench.measure("W13", caseName, pyper, 0, 1, () -> {
                    long start = System.nanoTime();
                    long sum = pyper.rateLimited(n, asked.perSecond(), asked.burst(), WORKERS);
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    BenchContext.verify(pyper, (long) n * (n - 1) / 2, sum);
                    return (n - asked.burst()) / elapsed;
                });
                if (!outcome.ok()) {
                    rows.add(Row.notRun(caseName, pyper.name(), outcome.failure()));
                    continue;
                }
                double achieved = outcome.sample().median();
                double ratio = achieved / asked.perSecond();
                rows.add(new Row(
                                caseName,
                                pyper.name(),
                                String.format(Locale.ROOT, "%,.2f/s", achieved),
                                "",
                                String.format(Locale.ROOT, "×%.4f asked", ratio),
                                Row.Verdict.of(ratio >= 0.98 && ratio <= 1.01))
                        .with(Row.Figures.of(outcome.sample(), Row.Figures.ITEMS_PER_SECOND)));
            }
        }
        return rows;
    }
}
