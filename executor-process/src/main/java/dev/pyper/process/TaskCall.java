package dev.pyper.process;

import dev.pyper.Emitter;
import dev.pyper.function.Generator;
import dev.pyper.function.ThrowingFunction;
import dev.pyper.spi.TaskSpec.Kind;

/**
 * Calls a task's function by its kind and turns its result into outputs (rules 2.2 to 2.4): what
 * the engine's own invoker does in the caller's JVM, done here in the worker process. Async tasks
 * never come here: they cannot be multiprocess (rule 1.5), and the engine runs them itself.
 *
 * @param name the task's name, for errors
 * @param kind how the function is called
 * @param function the task's function, of the type that {@code kind} says
 */
record TaskCall(String name, Kind kind, Object function) {

    /** Whether the function has exactly one result, which a worker returns in one RESULT frame. */
    boolean hasOneResult() {
        return kind == Kind.TASK || kind == Kind.JOIN;
    }

    /** Calls a {@linkplain #hasOneResult() one-result} function. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    Object apply(Object input) throws Exception {
        return ((ThrowingFunction) function).apply(input);
    }

    /** Calls the function and passes every output to {@code out} as it is produced. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void call(Object input, Emitter<Object> out) throws Exception {
        switch (kind) {
            case TASK, JOIN -> out.emit(apply(input));
            case BRANCH -> emitAll(apply(input), out);
            case GENERATOR, JOIN_GENERATOR -> ((Generator) function).generate(input, out);
            case ASYNC, ASYNC_BRANCH -> throw new IllegalStateException("async task '" + name
                    + "' cannot run in a worker process (rule 1.5)");
        }
    }

    /** Passes each element on as the iterator yields it (rule 2.3). */
    private void emitAll(Object result, Emitter<Object> out) {
        if (result == null) {
            throw new IllegalStateException("branch task '" + name + "' returned null instead of an Iterable");
        }
        if (!(result instanceof Iterable<?> iterable)) {
            throw new IllegalStateException("branch task '" + name + "' returned a " + result.getClass().getName()
                    + ", which is not an Iterable");
        }
        for (Object output : iterable) {
            out.emit(output);
        }
    }
}
