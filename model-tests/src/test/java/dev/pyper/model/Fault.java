package dev.pyper.model;

import java.io.Serializable;

/**
 * A fault planted in one random task: it throws when the task sees {@code onValue}. Being a pure
 * function of the input, the model knows exactly which faults a pipeline's inputs fire.
 *
 * @param id unique within a case
 * @param onValue the input (or, for a join, the stream element) that fires it
 * @param type what is thrown
 * @param inFuture for an async task: complete the stage exceptionally on another thread rather
 *     than throw from the function itself
 */
record Fault(int id, int onValue, Type type, boolean inFuture) implements Serializable {

    /** What a fault throws. */
    enum Type {
        /** {@link Injected.Checked}. */
        CHECKED,
        /** {@link Injected.Unchecked}. */
        UNCHECKED,
        /** {@link Injected.Fatal}, an {@code Error}. */
        ERROR
    }

    boolean firesOn(Integer x) {
        return Values.of(x) == onValue;
    }

    /** Throws the injected failure if this fault fires on {@code x}. */
    void check(Integer x) throws Exception {
        if (firesOn(x)) {
            Throwable t = failure(x);
            if (t instanceof Error e) {
                throw e;
            }
            throw (Exception) t;
        }
    }

    /** A new instance of the injected failure, for input {@code x}. */
    Throwable failure(Integer x) {
        String message = "injected fault #" + id + " (" + type + ") on " + x;
        return switch (type) {
            case CHECKED -> new Injected.Checked(id, message);
            case UNCHECKED -> new Injected.Unchecked(id, message);
            case ERROR -> new Injected.Fatal(id, message);
        };
    }

    @Override
    public String toString() {
        return "fault#" + id + "(" + type + (inFuture ? ", in future" : "") + " on " + onValue + ")";
    }
}
