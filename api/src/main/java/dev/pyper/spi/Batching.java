package dev.pyper.spi;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a batch task does (rules 10.5 to 10.9), as plain data: the {@link TaskSpec#function()} of a
 * task of kind {@link TaskSpec.Kind#BATCH}, which calls no user function. An executor groups the
 * task's inputs, in the order it takes them, into lists of at most {@link #size()} and hands a
 * list on when it is full, when {@link #maxWait()} has passed on the JVM's {@link PolicyClock}
 * since the list took its first item, and at the end of the stream; it never hands on an empty
 * one. {@link #open()} makes the list an executor fills and {@link #seal} the one it hands on, so
 * that every executor hands over the same kind of list.
 *
 * @param size the most items of a batch, at least 1
 * @param maxWait how long a batch waits for more items after its first, more than zero; {@code null}
 *     when it waits until it is full or the stream ends
 */
public record Batching(int size, Duration maxWait) implements Serializable {

    /**
     * Checks the values; {@code Task.batch} checks them first, naming the task (rule 10.5).
     *
     * @throws IllegalArgumentException if {@code size < 1} or {@code maxWait} is zero or negative
     */
    public Batching {
        if (size < 1) {
            throw new IllegalArgumentException("a batch's size must be at least 1, was " + size);
        }
        if (maxWait != null && (maxWait.isZero() || maxWait.isNegative())) {
            throw new IllegalArgumentException("a batch's maxWait must be more than zero, was " + maxWait);
        }
    }

    /**
     * The batching of a batch task.
     *
     * @param task a task of kind {@link TaskSpec.Kind#BATCH}
     * @return its batching
     * @throws IllegalArgumentException if the task is not a batch task
     */
    public static Batching of(TaskSpec task) {
        if (task.kind() != TaskSpec.Kind.BATCH || !(task.function() instanceof Batching batching)) {
            throw new IllegalArgumentException("task '" + task.name() + "' is not a batch task");
        }
        return batching;
    }

    /**
     * Whether a batch hands itself on after {@link #maxWait()}.
     *
     * @return false for a batch that waits until it is full or the stream ends
     */
    public boolean hasMaxWait() {
        return maxWait != null;
    }

    /**
     * {@link #maxWait()} in nanoseconds of the {@link PolicyClock}, saturated at {@link Long#MAX_VALUE}.
     *
     * @return the wait, or {@link Long#MAX_VALUE} when there is none
     */
    public long maxWaitNanos() {
        if (maxWait == null) {
            return Long.MAX_VALUE;
        }
        try {
            return maxWait.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * The capacity of the task's output buffer, in batches, for its {@code throttle(t)}, which
     * counts items (rule 10.7): as many whole batches as {@code t} items hold, 0 (unbounded) for 0.
     *
     * @param throttle the task's throttle, 0 or at least {@link #size()}
     * @return the buffer's capacity in batches
     */
    public int batchesFor(int throttle) {
        return throttle == 0 ? 0 : Math.max(1, throttle / size);
    }

    /**
     * A new, empty batch to fill.
     *
     * @return a list with room for {@link #size()} items
     */
    public List<Object> open() {
        return new ArrayList<>(Math.min(size, 1024));
    }

    /**
     * The batch as it is handed on: a list that cannot be changed, so that a retried invocation or
     * a dead letter sees every item it was given (section 9); it may hold {@code null} items
     * (rule 8.4) and it is serializable (rule 6.3).
     *
     * @param filled what {@link #open()} made and the executor filled; not empty, and no longer
     *     touched by it
     * @return the batch to pass on
     * @throws IllegalStateException if {@code filled} is empty: no batch is handed on empty (rule 10.6)
     */
    public List<Object> seal(List<Object> filled) {
        if (filled.isEmpty()) {
            throw new IllegalStateException("an empty batch is never handed on (rule 10.6)");
        }
        return Collections.unmodifiableList(filled);
    }

    /** The task's default name (rule 1.7): {@code batch}. */
    @Override
    public String toString() {
        return "batch";
    }
}
