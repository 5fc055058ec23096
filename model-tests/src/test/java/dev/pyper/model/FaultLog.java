package dev.pyper.model;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The faults that the model saw fire, whether they fire in every run, and how deeply each is nested: a fault inside a nested
 * pipeline reaches the caller wrapped in one {@code PipelineException} per level of nesting, as
 * the inner run's failure becomes the outer invocation's exception (rules 1.8, 4.1).
 */
final class FaultLog {

    private final Map<Integer, Integer> depthById;
    private final Set<Integer> uncertain;
    private final int depth;

    FaultLog() {
        this(new HashMap<>(), new HashSet<>(), 0);
    }

    private FaultLog(Map<Integer, Integer> depthById, Set<Integer> uncertain, int depth) {
        this.depthById = depthById;
        this.uncertain = uncertain;
        this.depth = depth;
    }

    /** The log for the functions of a pipeline nested one level deeper. */
    FaultLog deeper() {
        return new FaultLog(depthById, uncertain, depth + 1);
    }

    /**
     * A join that returns early follows: the faults noted so far may or may not fire in a real
     * run, as the stages before it are stopped at some point (rule 8.3).
     */
    void firedSoFarUncertain() {
        uncertain.addAll(depthById.keySet());
    }

    /** The faults that fire in every run: a run that ends normally while one of them fires is wrong. */
    Set<Integer> certain() {
        Set<Integer> certain = new HashSet<>(depthById.keySet());
        certain.removeAll(uncertain);
        return Set.copyOf(certain);
    }

    void fired(Fault fault) {
        depthById.put(fault.id(), depth);
    }

    /** Fault id to nesting depth, for every fault that fired. */
    Map<Integer, Integer> fired() {
        return Map.copyOf(depthById);
    }
}
