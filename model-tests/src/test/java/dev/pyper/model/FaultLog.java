package dev.pyper.model;

import java.util.HashMap;
import java.util.Map;

/**
 * The faults that the model saw fire, each with how deeply it is nested: a fault inside a nested
 * pipeline reaches the caller wrapped in one {@code PipelineException} per level of nesting, as
 * the inner run's failure becomes the outer invocation's exception (rules 1.8, 4.1).
 */
final class FaultLog {

    private final Map<Integer, Integer> depthById;
    private final int depth;

    FaultLog() {
        this(new HashMap<>(), 0);
    }

    private FaultLog(Map<Integer, Integer> depthById, int depth) {
        this.depthById = depthById;
        this.depth = depth;
    }

    /** The log for the functions of a pipeline nested one level deeper. */
    FaultLog deeper() {
        return new FaultLog(depthById, depth + 1);
    }

    void fired(Fault fault) {
        depthById.put(fault.id(), depth);
    }

    /** Fault id to nesting depth, for every fault that fired. */
    Map<Integer, Integer> fired() {
        return Map.copyOf(depthById);
    }
}
