package dev.pyper.flink;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The values of one run on the embedded cluster that Java serialization refuses, handed from task
 * to task by reference (rule 2.2: a plain task passes its return value on whatever its type).
 *
 * <p>Every edge between two operators goes through Flink's network stack, which writes each
 * record out: {@link ItemSerializer} writes such a value as a number, under which it waits here
 * until the next operator reads it back, in the same JVM, and takes it. Values still waiting when
 * the job ends (dropped by a cancellation, say) go with the run's scope. A remote run has none:
 * its values cross between JVMs, and must be serializable (rule 6.3).
 */
final class Handoff {

    private final String runId;
    private final Map<Long, Object> waiting = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong();

    Handoff(String runId) {
        this.runId = runId;
    }

    /** The run whose values these are, as {@link RunRef} knows it. */
    String runId() {
        return runId;
    }

    /** Keeps {@code value} until it is taken; returns its number. */
    long put(Object value) {
        long id = next.incrementAndGet();
        waiting.put(id, value);
        return id;
    }

    /**
     * Takes the value kept under {@code id}.
     *
     * @throws IllegalStateException if there is none: a record was read twice, or in another JVM
     */
    Object take(long id) {
        Object value = waiting.remove(id);
        if (value == null) {
            throw new IllegalStateException("no value " + id + " is waiting to be handed over in run " + runId);
        }
        return value;
    }
}
