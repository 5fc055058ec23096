package dev.pyper.engine;

import dev.pyper.Emitter;
import dev.pyper.function.Generator;
import dev.pyper.function.ThrowingFunction;
import dev.pyper.spi.TaskSpec;

/**
 * Calls a task's function in this JVM, on the worker's own thread, and turns its result into
 * outputs by the task's kind (rules 2.2 to 2.4). Stateless: one instance serves every worker.
 * Async tasks do not come here: {@link AsyncStage} runs them without a thread per stage.
 */
final class LocalInvoker implements Invoker {

    /** The factory for tasks that run in this JVM. */
    static final InvokerFactory FACTORY = (task, worker) -> new LocalInvoker(task);

    private final TaskSpec task;
    private final TaskSpec.Kind kind;
    private final Object function;

    LocalInvoker(TaskSpec task) {
        this.task = task;
        this.kind = task.kind();
        this.function = task.function();
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void invoke(Object input, Emitter<Object> out) throws Exception {
        switch (kind) {
            case TASK, JOIN -> out.emit(((ThrowingFunction) function).apply(input));
            case BRANCH -> emitAll(((ThrowingFunction) function).apply(input), out);
            case GENERATOR, JOIN_GENERATOR -> ((Generator) function).generate(input, out);
            case ASYNC, ASYNC_BRANCH -> throw new IllegalStateException("async task '" + task.name() + "' is run by AsyncStage");
        }
    }

    /** Passes each element on as the iterator yields it (rule 2.3). */
    private void emitAll(Object result, Emitter<Object> out) {
        if (result == null) {
            throw new IllegalStateException("branch task '" + task.name() + "' returned null instead of an Iterable");
        }
        if (!(result instanceof Iterable<?> iterable)) {
            throw new IllegalStateException("branch task '" + task.name() + "' returned a " + result.getClass().getName()
                    + ", which is not an Iterable");
        }
        for (Object output : iterable) {
            out.emit(output);
        }
    }
}
