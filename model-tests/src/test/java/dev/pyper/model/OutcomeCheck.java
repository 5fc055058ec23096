package dev.pyper.model;

import dev.pyper.PipelineException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Compares what a run gave the caller with what the model expects of a case: outputs as a
 * sequence where order is promised and as a multiset otherwise (rules 3.1 to 3.3), and a failure
 * against the faults that the model saw fire (rules 4.1, 4.3).
 */
final class OutcomeCheck {

    private final ModelCase c;
    private final KeyCheck keys;
    private String outcome = "none";

    OutcomeCheck(ModelCase c) {
        this.c = c;
        this.keys = new KeyCheck(c);
    }

    /** How the run ended, as last checked: for the suite's tally of what the cases exercised. */
    String outcome() {
        return outcome;
    }

    /** The run ended normally: no fault may have fired, and the outputs are the model's. */
    void completeOutputs(List<Integer> got) {
        outcome = "completed";
        if (!c.certainFaults().isEmpty()) {
            throw new AssertionError("The run ended normally with " + got.size() + " outputs, but fault(s) "
                    + c.certainFaults() + " fire in the model, so it must fail with a PipelineException (rule 4.1)");
        }
        List<Integer> expected = c.expected().outputs();
        if (c.expected().ordered()) {
            if (!got.equals(expected)) {
                throw new AssertionError("Outputs differ from the model's sequence (order promised, rules 3.1, 3.3): "
                        + firstDifference(expected, got));
            }
        } else if (!multiset(got).equals(multiset(expected))) {
            throw new AssertionError(
                    "Outputs differ from the model's multiset (rule 3.2): " + multisetDifference(expected, got));
        }
        keys.outputs(got, true);
    }

    /** The run ended early: what the caller got is a prefix, or a sub-multiset, of the model's outputs. */
    void partialOutputs(List<Integer> got, String when) {
        outcome = "ended " + when;
        String offTheModel = offTheModel(got, when);
        if (offTheModel != null) {
            throw new AssertionError(offTheModel);
        }
        keys.outputs(got, false);
    }

    /** Why {@code got} is not a prefix (or sub-multiset) of the model's outputs, or null if it is. */
    private String offTheModel(List<Integer> got, String when) {
        List<Integer> expected = c.expected().outputs();
        if (c.expected().ordered()) {
            if (got.size() > expected.size() || !got.equals(expected.subList(0, got.size()))) {
                return "The outputs " + when + " are not a prefix of the model's sequence (rules 3.1, 3.3): "
                        + firstDifference(expected, got);
            }
            return null;
        }
        Map<Integer, Integer> left = multiset(expected);
        for (Integer x : got) {
            if (left.merge(x, -1, Integer::sum) < 0) {
                return "The outputs " + when + " are not a sub-multiset of the model's: " + x
                        + " came more often than the model has it; " + multisetDifference(expected, got);
            }
        }
        return null;
    }

    /**
     * The run failed: some fault must fire in the model, the cause must be one of those that fire,
     * unwrapped (nested once per level of nesting), the message must name the task, and every
     * suppressed exception must be a fired fault too.
     */
    void injectedFailure(PipelineException e, List<Integer> got) {
        if (c.faults().isEmpty()) {
            throw new AssertionError("The run failed, but no fault fires in the model", e);
        }
        int wrappers = 0;
        Throwable cause = e.getCause();
        while (cause instanceof PipelineException inner) {
            cause = inner.getCause();
            wrappers++;
        }
        if (!(cause instanceof Injected.Failure injected)) {
            throw new AssertionError(
                    "The PipelineException's cause is not an injected fault (rule 4.1): " + e.getCause(), e);
        }
        Integer depth = c.faults().get(injected.faultId());
        if (depth == null) {
            throw new AssertionError(
                    "The cause is fault #" + injected.faultId() + ", which does not fire in the model", e);
        }
        if (depth != wrappers) {
            throw new AssertionError(
                    "The cause, fault #" + injected.faultId() + " at nesting depth " + depth + ", came wrapped in "
                            + wrappers + " PipelineException(s) (rule 4.1: the original exception is the cause)",
                    e);
        }
        String task = c.faultStage().get(injected.faultId());
        if (!task.equals(e.taskName())
                || e.getMessage() == null
                || !e.getMessage().contains("'" + task + "'")) {
            throw new AssertionError(
                    "The failure does not name task '" + task + "' (rule 4.1): taskName " + e.taskName() + ", message "
                            + e.getMessage(),
                    e);
        }
        for (Throwable suppressed : e.getSuppressed()) {
            Throwable s = suppressed;
            while (s instanceof PipelineException inner && inner.getCause() != null) {
                s = inner.getCause();
            }
            if (!(s instanceof Injected.Failure later)
                    || !c.faults().containsKey(later.faultId())
                            && !flakyFaultIds().contains(later.faultId())) {
                throw new AssertionError(
                        "A suppressed exception is not a fault that fires in the model (rule 4.3): " + suppressed, e);
            }
        }
        partialOutputs(got, "before the failure");
        outcome = "failed by a fault" + (wrappers > 0 ? " (nested)" : "");
    }

    /**
     * The ids of the case's {@link Flaky} faults. One of them may be suppressed even where it never
     * fails the run in the model: an attempt that fails while the run is ending is not made again
     * nor skipped (a cancellation of the run is never retried, rule 9.2), so it stands as a later
     * failure (rule 4.3).
     */
    private Set<Integer> flakyFaultIds() {
        return c.stages().stream()
                .map(StageShape::flaky)
                .filter(Objects::nonNull)
                .map(f -> f.fault().id())
                .collect(Collectors.toSet());
    }

    private static Map<Integer, Integer> multiset(List<Integer> values) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (Integer x : values) {
            counts.merge(x, 1, Integer::sum);
        }
        return counts;
    }

    private static String firstDifference(List<Integer> expected, List<Integer> got) {
        int i = 0;
        while (i < expected.size() && i < got.size() && Objects.equals(expected.get(i), got.get(i))) {
            i++;
        }
        return "expected " + expected.size() + " outputs, got " + got.size() + "; first difference at index " + i
                + ": expected "
                + (i < expected.size() ? expected.get(i) : "<end>") + ", got " + (i < got.size() ? got.get(i) : "<end>")
                + "; expected " + shortened(expected) + ", got " + shortened(got);
    }

    private static String multisetDifference(List<Integer> expected, List<Integer> got) {
        Map<Integer, Integer> diff = multiset(expected);
        got.forEach(x -> diff.merge(x, -1, Integer::sum));
        List<Integer> missing = new ArrayList<>();
        List<Integer> extra = new ArrayList<>();
        diff.forEach((x, n) -> {
            for (int i = 0; i < Math.abs(n); i++) {
                (n > 0 ? missing : extra).add(x);
            }
        });
        return "expected " + expected.size() + " outputs, got " + got.size() + "; missing " + shortened(missing)
                + ", unexpected " + shortened(extra);
    }

    private static String shortened(List<Integer> values) {
        return values.size() > 30 ? values.subList(0, 30) + "... (" + values.size() + ")" : values.toString();
    }
}
