package dev.pyper.flink;

import dev.pyper.Emitter;
import dev.pyper.function.Generator;
import dev.pyper.function.ThrowingFunction;
import dev.pyper.spi.TaskSpec;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Calls one task's function the way its kind says (rules 2.2 to 2.4, 5.1) and turns whatever it
 * throws into a {@link TaskFailure} recorded with the run (rules 4.1, 4.3). One per operator
 * instance; used by the thread that runs the invocation.
 */
final class TaskCall {

    private final TaskSpec task;
    private final RunScope scope;
    private final boolean producer;

    private TaskCall(TaskSpec task, RunScope scope, boolean producer) {
        this.task = task;
        this.scope = scope;
        this.producer = producer;
    }

    /** The call of task {@code index} of the run, resolved where the operator runs. */
    static TaskCall open(RunRef ref, int index) {
        RunScope scope = ref.resolve();
        return new TaskCall(scope.plan().tasks().get(index), scope, index == 0);
    }

    TaskSpec task() {
        return task;
    }

    /** The input of an invocation: the run's input for the producer, else the item's value. */
    Object inputOf(Item item) {
        return producer ? scope.input() : item.value();
    }

    /**
     * Runs a plain, branch or generator invocation, passing each output to {@code out} as soon as
     * it is produced (rule 2.3).
     *
     * @throws TaskFailure if the function threw, or a branch returned something not iterable
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void apply(Object input, Consumer<Object> out) {
        try {
            switch (task.kind()) {
                case TASK -> out.accept(((ThrowingFunction) task.function()).apply(input));
                case BRANCH -> each(((ThrowingFunction) task.function()).apply(input), out);
                case GENERATOR -> ((Generator) task.function()).generate(input, emitter(out));
                default -> throw new IllegalStateException("task kind " + task.kind() + " is not called per input");
            }
        } catch (Throwable t) {
            throw failure(input, true, t);
        }
    }

    /**
     * Runs a join invocation on its share of the input stream (rule 2.4).
     *
     * @throws TaskFailure if the function threw
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void join(Stream<Object> in, Consumer<Object> out) {
        try {
            switch (task.kind()) {
                case JOIN -> out.accept(((ThrowingFunction) task.function()).apply(in));
                case JOIN_GENERATOR -> ((Generator) task.function()).generate(in, emitter(out));
                default -> throw new IllegalStateException("task kind " + task.kind() + " is not a join");
            }
        } catch (Throwable t) {
            throw failure(null, false, t);
        }
    }

    /**
     * Starts an async invocation (rule 5.1).
     *
     * @throws TaskFailure if the function threw or returned no stage
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    CompletionStage<Object> startAsync(Object input) {
        try {
            CompletionStage<Object> stage = (CompletionStage<Object>) ((ThrowingFunction) task.function()).apply(input);
            if (stage == null) {
                throw new NullPointerException("the async function returned null instead of a CompletionStage");
            }
            return stage;
        } catch (Throwable t) {
            throw failure(input, true, t);
        }
    }

    /** The outputs of a completed async stage: its value, or each element for an async branch. */
    void completeAsync(Object input, Object result, Consumer<Object> out) {
        try {
            if (task.kind() == TaskSpec.Kind.ASYNC_BRANCH) {
                each(result, out);
            } else {
                out.accept(result);
            }
        } catch (Throwable t) {
            throw failure(input, true, t);
        }
    }

    /** Records a failure of this task with the run and returns it to be thrown. */
    TaskFailure failure(Object input, boolean hasInput, Throwable error) {
        if (error instanceof TaskFailure already) {
            return already;
        }
        TaskFailure failure = TaskFailure.of(task.name(), input, hasInput, Failures.unwrap(error));
        scope.failures().record(failure);
        return failure;
    }

    private void each(Object result, Consumer<Object> out) {
        if (result == null) {
            throw new NullPointerException("the branch function of task '" + task.name() + "' returned null instead of an Iterable");
        }
        if (!(result instanceof Iterable<?> iterable)) {
            throw new ClassCastException("the branch function of task '" + task.name() + "' returned a "
                    + result.getClass().getName() + ", which is not an Iterable");
        }
        for (Object o : iterable) {
            out.accept(o);
        }
    }

    /** An emitter that hands each output on at once, and refuses once the job is being cancelled (rule 8.2). */
    private static Emitter<Object> emitter(Consumer<Object> out) {
        return output -> {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("the run was cancelled or has failed");
            }
            out.accept(output);
        };
    }
}
