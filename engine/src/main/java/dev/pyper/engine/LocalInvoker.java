package dev.pyper.engine;

import dev.pyper.Emitter;
import dev.pyper.function.Generator;
import dev.pyper.function.ThrowingFunction;
import dev.pyper.spi.TaskSpec;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * Calls a task's function in this JVM, on the worker's own thread, and turns its result into
 * outputs by the task's kind (rules 2.2 to 2.4, 5.1). Stateless: one instance serves every worker.
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
            case ASYNC -> out.emit(await(((ThrowingFunction) function).apply(input)));
            case ASYNC_BRANCH -> emitAll(await(((ThrowingFunction) function).apply(input)), out);
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

    /**
     * Waits for a stage on the worker's thread, cancelling it if the run is cancelled meanwhile.
     * The stage's own exception is the failure (rule 4.1).
     */
    private Object await(Object stage) throws Exception {
        if (stage == null) {
            throw new IllegalStateException("async task '" + task.name() + "' returned null instead of a CompletionStage");
        }
        CompletableFuture<?> future = ((CompletionStage<?>) stage).toCompletableFuture();
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
