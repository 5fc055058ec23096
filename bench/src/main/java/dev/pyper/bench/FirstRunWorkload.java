package dev.pyper.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * W7, first run: a fresh executor's first run of the three-task pipeline of W5, from making the
 * executor to the run's end, then its close; milliseconds. What a user pays once per executor:
 * nothing much for the in-JVM executors, the worker JVMs' start for {@code process}, the embedded
 * cluster's start for {@code flink}.
 */
final class FirstRunWorkload implements Workload {

    @Override
    public String id() {
        return "W7";
    }

    @Override
    public String title() {
        return "W7 first run: a fresh executor's first run of a 3-task pipeline";
    }

    @Override
    public String description() {
        return "Milliseconds from making the executor to the end of its first run (W5's pipeline on one item); each"
                + " repetition makes a new executor and closes it afterwards (its close is not counted). No target.";
    }

    @Override
    public List<Row> run(BenchContext bench) {
        List<Row> rows = new ArrayList<>();
        String caseName = "first run";
        for (Subject subject : bench.subjects(Subject::isPyper)) {
            BenchContext.Outcome outcome = bench.measure("W7", caseName, subject, () -> {
                long start = System.nanoTime();
                Subject fresh = Contenders.create(subject.name());
                double millis;
                try {
                    BenchContext.verify(fresh, 4, fresh.oneRun(1));
                    millis = (System.nanoTime() - start) / 1e6;
                } finally {
                    fresh.close();
                }
                return millis;
            });
            if (!outcome.ok()) {
                rows.add(Row.notRun(caseName, subject.name(), outcome.failure()));
                continue;
            }
            rows.add(new Row(
                            caseName,
                            subject.name(),
                            Format.millis(outcome.sample().median()),
                            outcome.spread(Format::millis),
                            "",
                            Row.Verdict.NONE)
                    .with(Row.Figures.of(outcome.sample(), Row.Figures.MILLIS)));
        }
        return rows;
    }
}
