package dev.pyper.flink;

/**
 * One item between two tasks of a Flink job: the user's value, which may be {@code null}
 * (rule 8.4), wrapped because Flink refuses {@code null} records; on the embedded cluster, with
 * the run's {@link Handoff}, where a value that cannot be serialized crosses to the next task
 * (rule 2.2).
 *
 * <p>Immutable; the value itself is the user's and is handed on as it is.
 */
final class Item {

    private final Object value;
    private final Handoff handoff;

    private Item(Object value, Handoff handoff) {
        this.value = value;
        this.handoff = handoff;
    }

    static Item of(Object value) {
        return new Item(value, null);
    }

    /** An output of a task: a value that cannot be serialized goes through {@code handoff}, where there is one. */
    static Item of(Object value, Handoff handoff) {
        return new Item(value, handoff);
    }

    Object value() {
        return value;
    }

    /** Where the value goes if it cannot be serialized; null for a remote run, and for an item read back. */
    Handoff handoff() {
        return handoff;
    }

    @Override
    public String toString() {
        return "Item[" + value + "]";
    }
}
