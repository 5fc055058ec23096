package dev.pyper.model;

import dev.pyper.Option;
import dev.pyper.RunMetrics;
import dev.pyper.TaskMetrics;
import java.time.Duration;
import java.util.Collections;
import java.util.List;

/**
 * Checks the flow controls of section 10 against the model. After any run: no task that takes
 * lists got an empty one or one larger than its batch's size (rule 10.6), at any level of
 * nesting. After a complete run of an exact case (see {@link ResilienceCheck#exact()}), per
 * top-level task: a batch took every input the model gives it, passed on exactly as many lists as
 * the model cuts where no maxWait can cut one early and otherwise between that many and one per
 * input, and called no function (rule 10.9); a task with a rate made one invocation per input
 * (rule 9.6), started no more attempts than its bucket allows in the time the run took (its burst,
 * and one more token per interval, rule 10.1), counted no more attempts that waited for a token
 * than it made, and none where its burst covers every attempt (the bucket is full when the run
 * starts); a task without a rate counts no wait at all.
 */
final class FlowCheck {

    private final ModelCase c;

    FlowCheck(ModelCase c) {
        this.c = c;
    }

    /** Whether the case has a batch or a rate at the top level, whose counts {@link #exactCounts} checks. */
    boolean applies() {
        return c.stages().stream().anyMatch(s -> s.rate() != null || s.function() instanceof ListFunctions.Batch);
    }

    /** After any run: every list that a task of ours took was within its batch's bounds. */
    void bounds() {
        for (StageShape stage : all(c.stages())) {
            if (stage.function() instanceof ListFunctions.OnLists lists
                    && lists.broken().get(0) != 0) {
                throw new AssertionError(
                        "Stage " + stage.name() + " took " + lists.broken().get(0)
                                + " list(s) that were empty or held more than the batch's " + lists.size()
                                + " inputs (rules 10.5, 10.6)");
            }
        }
    }

    /**
     * After a complete run of an exact case, which took {@code elapsedNanos} from its start to its
     * last output: the counts of every top-level batch and rate.
     */
    void exactCounts(RunMetrics metrics, long elapsedNanos) {
        List<TaskMetrics> tasks = metrics.tasks();
        if (tasks.size() != c.stages().size()) {
            throw new AssertionError("The run's metrics have " + tasks.size() + " tasks, the pipeline "
                    + c.stages().size());
        }
        List<Integer> inputs = Collections.singletonList(c.input());
        boolean timedLists = false; // lists flow that a maxWait may have cut early
        for (int k = 0; k < c.stages().size(); k++) {
            StageShape stage = c.stages().get(k);
            TaskMetrics m = tasks.get(k);
            if (stage.function() instanceof ListFunctions.Batch batch) {
                timedLists = batch.timed();
                long lists = (inputs.size() + batch.size() - 1) / batch.size();
                expect(stage, "itemsIn (inputs, rule 10.9)", inputs.size(), m.itemsIn());
                expect(stage, "invocations (no function, rule 10.9)", 0, m.invocations());
                if (batch.timed()) {
                    if (m.itemsOut() < lists || m.itemsOut() > inputs.size()) {
                        throw new AssertionError("Stage " + stage.name() + " passed on " + m.itemsOut() + " lists of "
                                + inputs.size() + " inputs, batch size " + batch.size()
                                + ": not between " + lists + " (all full but the last) and one per input (rules 10.5,"
                                + " 10.6)");
                    }
                } else {
                    expect(stage, "itemsOut (lists, full but the last, rules 10.5, 10.9)", lists, m.itemsOut());
                }
            }
            Option.Rate rate = stage.rate();
            if (rate == null) {
                expect(stage, "rateDelayed (no rate)", 0, m.rateDelayed());
                if (!Duration.ZERO.equals(m.rateWaited())) {
                    throw new AssertionError(
                            "Stage " + stage.name() + " has no rate, yet its rateWaited is " + m.rateWaited());
                }
            } else {
                int invocations = stage.function().invocationKeys(inputs).size();
                if (timedLists) { // as many as the lists, which the model knows only within bounds
                    invocations = (int) Math.max(invocations, Math.min(m.invocations(), inputs.size()));
                }
                paced(stage, rate, m, invocations, elapsedNanos);
            }
            if (!(stage.function() instanceof ListFunctions.Batch
                    || stage.function() instanceof ListFunctions.MapList)) {
                timedLists = false;
            }
            inputs = stage.function().model(inputs, stage.workers(), new FaultLog());
        }
    }

    private static void paced(StageShape stage, Option.Rate rate, TaskMetrics m, int invocations, long elapsedNanos) {
        expect(stage, "invocations (one per input, rule 9.6)", invocations, m.invocations());
        long attempts = m.invocations() + m.retries();
        if (m.rateDelayed() < 0 || m.rateDelayed() > attempts) {
            throw new AssertionError(
                    "Stage " + stage.name() + " counts " + m.rateDelayed() + " attempts that waited for a token of its "
                            + rate + ", of " + attempts + " attempts (rule 10.1)");
        }
        if (attempts <= rate.burst() && (m.rateDelayed() != 0 || !Duration.ZERO.equals(m.rateWaited()))) {
            throw new AssertionError(
                    "Stage " + stage.name() + " made " + attempts + " attempts, within the burst of its "
                            + rate + ", whose bucket is full when the run starts, yet counts " + m.rateDelayed()
                            + " that waited, " + m.rateWaited() + " in all (rule 10.1)");
        }
        if (m.rateWaited() == null || m.rateWaited().isNegative()) {
            throw new AssertionError("Stage " + stage.name() + "'s rateWaited is " + m.rateWaited());
        }
        long interval = rate.intervalNanos();
        // in any span of t seconds at most b + r * t attempts start (one interval of slack for rounding)
        if ((attempts - rate.burst() - 1) * interval > elapsedNanos) {
            throw new AssertionError("Stage " + stage.name() + " started " + attempts + " attempts in "
                    + Duration.ofNanos(elapsedNanos) + ", more than its " + rate
                    + " allows: at most the burst and one a "
                    + Duration.ofNanos(interval) + " (rule 10.1)");
        }
    }

    private static void expect(StageShape stage, String what, long expected, long got) {
        if (expected != got) {
            throw new AssertionError(
                    "Stage " + stage.name() + ": " + what + " " + got + ", the model's " + expected + " (section 10)");
        }
    }

    /** The stages of a pipeline and of every pipeline nested in it. */
    static List<StageShape> all(List<StageShape> stages) {
        return stages.stream()
                .flatMap(s -> s.function() instanceof Nested n
                        ? java.util.stream.Stream.concat(java.util.stream.Stream.of(s), all(n.inner()).stream())
                        : java.util.stream.Stream.of(s))
                .toList();
    }
}
