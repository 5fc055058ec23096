package dev.pyper.flink;

import dev.pyper.engine.OnDemandProcesses;
import dev.pyper.spi.ContextPropagator;
import dev.pyper.spi.Plan;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How a run's operators reach its plan and input: the one serializable thing that every Flink
 * function of a pyper job carries.
 *
 * <p>On the embedded cluster the TaskManagers run in the caller's JVM, so the run is handed over
 * by reference: the functions find the caller's {@link RunScope} in a JVM-wide table under the
 * run's id, the user's functions keep their identity (a latch or counter they capture is the
 * caller's own) and failures reach the caller as the very objects thrown. For a remote cluster
 * the plan and input are shipped serialized (rule 1.6), and each operator gets its own copy; so is
 * what can be carried of the caller's context (rule 8.8), which each operator restores around its
 * invocations.
 *
 * <p>Invariant: a local scope is in the table from before the job is submitted until the run
 * has ended, so an operator of the run always finds it.
 */
final class RunRef implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final Map<String, RunScope> LOCAL = new ConcurrentHashMap<>();

    private final String runId;
    private final byte[] shipped;

    private RunRef(String runId, byte[] shipped) {
        this.runId = runId;
        this.shipped = shipped;
    }

    /** A run handed over by reference; {@link #release()} it when the run has ended. */
    static RunRef local(String runId, RunScope scope) {
        LOCAL.put(runId, scope);
        return new RunRef(runId, null);
    }

    /**
     * A run shipped by value.
     *
     * @param context what can be carried of the caller's context ({@link ContextPropagator.Captured#carried()}), or null
     * @throws IllegalArgumentException naming the task, if a function or the input cannot be serialized
     */
    static RunRef shipped(String runId, Plan plan, Object input, byte[] context) {
        for (var task : plan.tasks()) {
            task.requireSerializable("on a remote Flink cluster");
        }
        try {
            return new RunRef(runId, ItemSerializer.javaSerialize(new Object[] {plan, input, context}));
        } catch (IOException e) {
            throw new IllegalArgumentException("The input cannot be shipped to a remote Flink cluster: " + e, e);
        }
    }

    /** The run's scope, as seen from the operator that calls it. */
    RunScope resolve() {
        if (shipped == null) {
            RunScope scope = LOCAL.get(runId);
            if (scope == null) {
                throw new IllegalStateException(
                        "run " + runId + " was handed over by reference, but is not known in this JVM:"
                                + " a job of an embedded executor reached another JVM");
            }
            return scope;
        }
        try {
            Object[] planAndInput = (Object[]) ItemSerializer.javaDeserialize(shipped);
            Plan plan = (Plan) planAndInput[0];
            return new RunScope(
                    plan,
                    planAndInput[1],
                    new Failures(),
                    null,
                    new RunCounters(plan),
                    new OnDemandProcesses(),
                    new EarlyEnds(plan),
                    null,
                    ContextPropagator.installed().fromCarried((byte[]) planAndInput[2]));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the plan of run " + runId, e);
        }
    }

    /**
     * The values of a local run that wait to be handed over by reference ({@link Handoff}).
     *
     * @throws IOException if the run is not known in this JVM
     */
    static Handoff handoff(String runId) throws IOException {
        RunScope scope = LOCAL.get(runId);
        if (scope == null || scope.handoff() == null) {
            throw new IOException(
                    "a value of run " + runId + " was handed over by reference, but the run is not known in this JVM:"
                            + " a job of an embedded executor reached another JVM, or its run has ended");
        }
        return scope.handoff();
    }

    /** Forgets a local run; idempotent. */
    void release() {
        LOCAL.remove(runId);
    }

    String runId() {
        return runId;
    }
}
