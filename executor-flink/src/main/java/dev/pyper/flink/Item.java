package dev.pyper.flink;

/**
 * One item between two tasks of a Flink job: the user's value, which may be {@code null}
 * (rule 8.4), wrapped because Flink refuses {@code null} records.
 *
 * <p>Immutable; the value itself is the user's and is handed on as it is.
 */
final class Item {

    private final Object value;

    private Item(Object value) {
        this.value = value;
    }

    static Item of(Object value) {
        return new Item(value);
    }

    Object value() {
        return value;
    }

    @Override
    public String toString() {
        return "Item[" + value + "]";
    }
}
