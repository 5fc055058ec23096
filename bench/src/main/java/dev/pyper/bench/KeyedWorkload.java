package dev.pyper.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * W14, order per key (issue 22): a producer of N Integers → {@code task(x -> x + 1, workers(8),
 * byKey(x -> x % k))} with 1, 10 and 10,000 keys, against the same task without a key; items per
 * second. One key makes the task one input at a time (rule 10.10): its figure is the cost of the
 * key's turns on one worker, not a target.
 */
final class KeyedWorkload implements Workload {

    private static final int WORKERS = 8;

    /** The key counts; 0 stands for the task without a key. */
    private static final List<Integer> KEYS = List.of(0, 1, 10, 10_000);

    @Override
    public String id() {
        return "W14";
    }

    @Override
    public String title() {
        return "W14 order per key: producer → task(x -> x + 1, workers(8), byKey(x -> x % k))";
    }

    @Override
    public String description() {
        return "Items per second through a producer and a task of eight workers whose inputs of one key run one at "
                + "a time, in order (`byKey`), with 1, 10 and 10,000 keys, against the same task without a key, "
                + "measured in the same run. Target: with 10 and 10,000 keys at least 0.5× the task without a key.";
    }

    @Override
    public List<Row> run(BenchContext bench) {
        int n = bench.options().scaled(500_000, 50_000);
        List<Row> rows = new ArrayList<>();
        for (Subject pyper : bench.subjects(Subject::isPyper)) {
            int items = n / pyper.itemDivisor();
            double unkeyed = Double.NaN;
            for (int keys : KEYS) {
                String caseName = keys == 0
                        ? "N=" + items + ", no key"
                        : String.format(Locale.ROOT, "N=%d, %,d key%s", items, keys, keys == 1 ? "" : "s");
                long expected = (long) items * (items + 1) / 2;
                BenchContext.Outcome outcome = bench.measure("W14", caseName, pyper, () -> {
                    long start = System.nanoTime();
                    long sum = pyper.keyed(items, keys, WORKERS);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    BenchContext.verify(pyper, expected, sum);
                    return items / seconds;
                });
                if (!outcome.ok()) {
                    rows.add(Row.notRun(caseName, pyper.name(), outcome.failure()));
                    continue;
                }
                double median = outcome.sample().median();
                if (keys == 0) {
                    unkeyed = median;
                }
                double vsUnkeyed = median / unkeyed;
                rows.add(new Row(
                                caseName,
                                pyper.name(),
                                Format.perSecond(median),
                                outcome.spread(Format::perSecond),
                                keys == 0 || Double.isNaN(vsUnkeyed) ? "" : Format.ratio(vsUnkeyed) + " no key",
                                keys <= 1 || Double.isNaN(vsUnkeyed)
                                        ? Row.Verdict.NONE
                                        : Row.Verdict.of(vsUnkeyed >= 0.5))
                        .with(Row.Figures.of(outcome.sample(), Row.Figures.ITEMS_PER_SECOND)));
            }
        }
        return rows;
    }
}
