package dev.pyper.model;

import dev.pyper.RunMetrics;
import dev.pyper.TaskMetrics;
import java.util.Collections;
import java.util.List;

/**
 * Checks what the {@link Flaky} tasks of a case did against the model (section 9): after any run,
 * no value was attempted more often, nor dead-lettered more often, than the model allows, and no
 * dead letter broke rule 9.5; after a run that read every output and in which no fault fired and
 * every stage read all of its inputs, the counts are exact: attempts and dead letters per value,
 * and the task's {@link TaskMetrics} (rule 9.6): one invocation per input, {@code retries},
 * {@code skipped} and {@code deadLettered} as the model predicts, {@code failed} 0; tasks without
 * a flaky function retry, skip and dead-letter nothing.
 */
final class ResilienceCheck {

    private final ModelCase c;

    ResilienceCheck(ModelCase c) {
        this.c = c;
    }

    /** Whether the case has flaky tasks to check. */
    boolean applies() {
        return c.stages().stream().anyMatch(s -> s.flaky() != null);
    }

    /** Whether a complete run of this case has exact counts: no fault fires, and no stage stops reading its input early (rule 8.3). */
    boolean exact() {
        return c.faults().isEmpty()
                && c.stages().stream().allMatch(s -> s.function().readsAllInputs());
    }

    /** After any run: the tallies within the model's bounds, and every dead letter as planted. */
    void bounds() {
        forEachFlaky((stage, flaky, inputs) -> {
            if (flaky.badLetters() != 0) {
                throw new AssertionError("Stage " + stage.name() + "'s sink got " + flaky.badLetters()
                        + " dead letter(s) with another task,"
                        + " failure, attempt count or output count than planted (rule 9.5)");
            }
            for (int i = 0; i < flaky.values().size(); i++) {
                int occurrences = Collections.frequency(
                        stage.function().invocationKeys(inputs), flaky.values().get(i));
                if (flaky.attempts(i) > attempts(flaky, occurrences)) {
                    throw new AssertionError(
                            "Stage " + stage.name() + " made " + flaky.attempts(i) + " attempts on value "
                                    + flaky.values().get(i) + ", more than the model's " + attempts(flaky, occurrences)
                                    + " (" + occurrences
                                    + " input(s), rules 9.2, 9.6)");
                }
                if (flaky.letters(i) > letters(flaky, occurrences)) {
                    throw new AssertionError("Stage " + stage.name() + "'s sink got " + flaky.letters(i)
                            + " dead letters of value " + flaky.values().get(i) + ", more than the model's "
                            + letters(flaky, occurrences) + " (rule 9.5)");
                }
            }
        });
    }

    /** After a complete run of an {@link #exact()} case: every count is the model's. */
    void exactCounts(RunMetrics metrics) {
        List<TaskMetrics> tasks = metrics.tasks();
        if (tasks.size() != c.stages().size()) {
            throw new AssertionError("The run's metrics have " + tasks.size() + " tasks, the pipeline "
                    + c.stages().size());
        }
        List<Integer> inputs = Collections.singletonList(c.input());
        for (int k = 0; k < c.stages().size(); k++) {
            StageShape stage = c.stages().get(k);
            TaskMetrics m = tasks.get(k);
            Flaky flaky = stage.flaky();
            long retries = 0;
            long skipped = 0;
            long deadLettered = 0;
            long timeouts = 0;
            if (flaky != null) {
                List<Integer> in = stage.function().invocationKeys(inputs);
                for (int i = 0; i < flaky.values().size(); i++) {
                    int occurrences = Collections.frequency(in, flaky.values().get(i));
                    expect(
                            stage,
                            "attempts on value " + flaky.values().get(i) + " (" + occurrences + " input(s))",
                            attempts(flaky, occurrences),
                            flaky.attempts(i));
                    expect(
                            stage,
                            "dead letters of value " + flaky.values().get(i),
                            letters(flaky, occurrences),
                            flaky.letters(i));
                    if (flaky.mode() == Flaky.Mode.TRANSIENT) {
                        retries += occurrences > 0
                                ? flaky.failures()
                                : 0; // however the attempts of repeated values interleave
                        boolean hangs = flaky.how() == Flaky.How.HANGS || flaky.how() == Flaky.How.HANGS_DEAF;
                        timeouts += occurrences > 0 && hangs ? flaky.failures() : 0;
                    } else {
                        retries += (long) occurrences * flaky.retries();
                        skipped += flaky.handling() == Flaky.Handling.SKIP ? occurrences : 0;
                        deadLettered += flaky.handling() == Flaky.Handling.DEAD_LETTER ? occurrences : 0;
                    }
                }
                expect(stage, "metrics' itemsIn", in.size(), m.itemsIn());
                expect(stage, "metrics' invocations (one per input, rule 9.6)", in.size(), m.invocations());
            }
            if (!stage.name().equals(m.name())) {
                throw new AssertionError("The run's metrics name task " + k + " '" + m.name() + "', the pipeline '"
                        + stage.name() + "'");
            }
            expect(stage, "metrics' retries (rule 9.6)", retries, m.retries());
            expect(stage, "metrics' timeouts (rules 9.4, 9.6)", timeouts, m.timeouts());
            expect(stage, "metrics' skipped (rule 9.6)", skipped, m.skipped());
            expect(stage, "metrics' deadLettered (rule 9.6)", deadLettered, m.deadLettered());
            expect(stage, "metrics' failed (rule 9.6)", 0, m.failed());
            inputs = stage.function().model(inputs, stage.workers(), new FaultLog());
        }
    }

    private static void expect(StageShape stage, String what, long expected, long got) {
        if (expected != got) {
            throw new AssertionError(
                    "Stage " + stage.name() + ": " + what + " " + got + ", the model's " + expected + " (section 9)");
        }
    }

    /** The attempts the model allows on a value of {@code occurrences} inputs in a complete run. */
    private static long attempts(Flaky flaky, int occurrences) {
        if (occurrences == 0) {
            return 0;
        }
        return flaky.mode() == Flaky.Mode.TRANSIENT
                ? flaky.failures() + occurrences
                : (long) occurrences * (flaky.retries() + 1);
    }

    private static long letters(Flaky flaky, int occurrences) {
        return flaky.mode() == Flaky.Mode.PERMANENT && flaky.handling() == Flaky.Handling.DEAD_LETTER ? occurrences : 0;
    }

    private interface FlakyStage {
        void check(StageShape stage, Flaky flaky, List<Integer> inputs);
    }

    /** Each flaky top-level stage with its inputs in the model. */
    private void forEachFlaky(FlakyStage check) {
        List<Integer> inputs = Collections.singletonList(c.input());
        for (StageShape stage : c.stages()) {
            if (stage.flaky() != null) {
                check.check(stage, stage.flaky(), inputs);
            }
            inputs = stage.function().model(inputs, stage.workers(), new FaultLog());
        }
    }
}
