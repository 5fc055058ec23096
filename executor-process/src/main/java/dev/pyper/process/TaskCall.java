package dev.pyper.process;

import dev.pyper.Emitter;
import dev.pyper.function.ThrowingFunction;
import dev.pyper.spi.TaskSpec;
import dev.pyper.spi.TaskSpec.Kind;
import java.io.Serializable;

/**
 * A task's function as a worker process calls it: by its kind, through {@link TaskSpec#invoke}
 * (rules 2.2 to 2.4), as the engine does in the caller's JVM. Async tasks never come here: they
 * cannot be multiprocess (rule 1.5), and the engine runs them itself.
 *
 * @param spec the task, as far as the worker knows it: name, kind and function
 */
record TaskCall(TaskSpec spec) {

    /**
     * The call of a task that the parent sent.
     *
     * @throws ClassCastException if the function the parent sent is not serializable, which cannot happen
     */
    TaskCall(String name, Kind kind, Object function) {
        this(new TaskSpec(name, kind, (Serializable) function, 1, 0, true, false));
    }

    /** The task's name, for errors. */
    String name() {
        return spec.name();
    }

    /** Whether the function has exactly one result, which a worker returns in one RESULT frame. */
    boolean hasOneResult() {
        return spec.kind() == Kind.TASK || spec.kind() == Kind.JOIN;
    }

    /** Calls a {@linkplain #hasOneResult() one-result} function. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    Object apply(Object input) throws Exception {
        return ((ThrowingFunction) spec.function()).apply(input);
    }

    /** Calls the function and passes every output to {@code out} as it is produced. */
    void call(Object input, Emitter<Object> out) throws Exception {
        spec.invoke(input, out);
    }
}
