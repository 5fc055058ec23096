package dev.pyper.model;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One generated case: a random pipeline, its input, how the caller consumes the outputs, and
 * what the model expects.
 *
 * @param seed replays this case with {@code -Dpyper.model.seed=<seed> -Dpyper.model.tries=1}
 * @param caseId the probe's key, unique in this JVM
 * @param stages the top-level pipeline
 * @param input the run's input
 * @param consumer how the caller consumes
 * @param k after how many outputs the consumer closes, throws or is interrupted
 * @param expected the fault-free outputs and whether their order is promised
 * @param faults the faults that fire in the model: id to nesting depth
 * @param certainFaults those of them that fire in every run (see {@link FaultLog#certain()})
 * @param faultStage the top-level stage name that each planted fault lives in, by fault id
 * @param leadBounds per top-level stage, the throttle check's bound, 0 for unchecked
 */
record ModelCase(
        long seed,
        long caseId,
        List<StageShape> stages,
        int input,
        Consumer consumer,
        int k,
        Model.Expectation expected,
        Map<Integer, Integer> faults,
        Set<Integer> certainFaults,
        Map<Integer, String> faultStage,
        int[] leadBounds) {

    /** How the caller consumes the outputs (issue 7's fault injection on the caller's side). */
    enum Consumer {
        /** Reads every output. */
        ALL,
        /** Closes the stream after k outputs (rule 4.4). */
        CLOSE_EARLY,
        /** A {@code consume} function that throws after k outputs (rules 2.7, 4.4). */
        THROW,
        /** The caller interrupts itself after k outputs and keeps pulling (rule 4.4). */
        INTERRUPT,
        /** After k outputs, another thread interrupts the caller as soon as it waits inside a pull (rule 4.4). */
        INTERRUPT_WAITING
    }

    /** The whole case, for a failure report. */
    String describe() {
        StringBuilder s = new StringBuilder();
        s.append("  replay: -Dpyper.model.seed=").append(seed).append(" -Dpyper.model.tries=1\n");
        s.append("  input ")
                .append(input)
                .append(", consumer ")
                .append(consumer)
                .append(consumer == Consumer.ALL ? "" : " after " + k + " outputs")
                .append('\n');
        for (StageShape stage : stages) {
            s.append("  | ").append(stage).append('\n');
        }
        List<Integer> out = expected.outputs();
        s.append("  model: ")
                .append(out.size())
                .append(" outputs, order ")
                .append(expected.ordered() ? "promised" : "not promised")
                .append(", ")
                .append(out.size() > 40 ? out.subList(0, 40) + "..." : out)
                .append('\n');
        s.append("  faults that fire: ")
                .append(faults.isEmpty() ? "none" : faults.keySet() + ", in every run: " + certainFaults)
                .append('\n');
        return s.toString();
    }
}
