package dev.pyper.model;

import dev.pyper.function.ThrowingFunction;
import java.util.List;

/**
 * The key function of a task given {@code byKey} (rule 10.10): a serializable record, as the
 * stage functions are (rule 1.6), that keys an input on its value ({@link Values#of}), or a list
 * on its {@link ListFunctions#key}, in one of three shapes. Never {@code null} (rule 10.12).
 *
 * @param shape how many keys the inputs fall into
 */
record KeyOf(Shape shape) implements ThrowingFunction<Object, Integer> {

    /** How many keys. */
    enum Shape {
        /** Every input has key 0: a hot key, the task runs one input at a time. */
        ONE,
        /** The value mod 3: a few keys. */
        FEW,
        /** The value itself: as many keys as distinct values. */
        MANY
    }

    @Override
    public Integer apply(Object input) {
        return of(value(input));
    }

    /** The key of an input's value (or a list's key). */
    int of(int value) {
        return switch (shape) {
            case ONE -> 0;
            case FEW -> Math.floorMod(value, 3);
            case MANY -> value;
        };
    }

    /** What an input is keyed on: an item's value, or a list's {@link ListFunctions#key}. */
    static int value(Object input) {
        return input instanceof List<?> list ? ListFunctions.key(list) : Values.of((Integer) input);
    }

    @Override
    public String toString() {
        return "key" + shape.name().charAt(0) + shape.name().substring(1).toLowerCase(java.util.Locale.ROOT);
    }
}
