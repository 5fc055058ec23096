package dev.pyper.spi;

import dev.pyper.Emitter;
import dev.pyper.function.Generator;
import dev.pyper.function.ThrowingFunction;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * One task of a pipeline, as plain data: what an executor sees of it (rule 1.1, section 0).
 *
 * <p>The {@link #function()} is one of the types in {@code dev.pyper.function}, as given by the
 * {@link #kind()}. A spec is an immutable value, valid by construction: {@code Task} checks the
 * options when they are set (rules 1.3 to 1.5, 3.4).
 *
 * @param name the task's name, for errors, logs, thread names and metrics (rule 1.7)
 * @param kind what the function is and how its results become outputs
 * @param function the user's function, serializable (rule 1.6)
 * @param workers how many invocations may run at the same time, at least 1 (rule 2.5)
 * @param throttle the bound of the task's output buffer, 0 for unbounded (rule 2.6)
 * @param multiprocess whether invocations run in worker processes (rule 6.1)
 * @param ordered whether outputs keep the order of inputs with several workers (rule 3.3)
 * @param failurePolicy the failures the task survives: retry, timeout, skip or dead letters
 *     (section 9); {@link FailurePolicy#NONE} for none
 * @param key the key function of a task given {@code byKey(…)}, whose inputs of one key are
 *     invoked one at a time in the order they were taken (rules 10.10 to 10.14); {@code null} for
 *     a task without one. An executor asks for an input's key with {@link #keyOf}.
 */
public record TaskSpec(
        String name,
        Kind kind,
        Serializable function,
        int workers,
        int throttle,
        boolean multiprocess,
        boolean ordered,
        FailurePolicy failurePolicy,
        ThrowingFunction<?, ?> key)
        implements Serializable {

    /**
     * Checks that the spec holds together.
     *
     * @throws NullPointerException if the name, kind or function is null
     * @throws IllegalArgumentException if {@code workers < 1} or {@code throttle < 0}
     */
    public TaskSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(failurePolicy, "failurePolicy");
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers + " (task '" + name + "')");
        }
        if (throttle < 0) {
            throw new IllegalArgumentException(
                    "throttle must be 0 (unbounded) or more, was " + throttle + " (task '" + name + "')");
        }
    }

    /**
     * A spec without a key function (rule 10.10).
     *
     * @param name see {@link #name()}
     * @param kind see {@link #kind()}
     * @param function see {@link #function()}
     * @param workers see {@link #workers()}
     * @param throttle see {@link #throttle()}
     * @param multiprocess see {@link #multiprocess()}
     * @param ordered see {@link #ordered()}
     * @param failurePolicy see {@link #failurePolicy()}
     */
    public TaskSpec(
            String name,
            Kind kind,
            Serializable function,
            int workers,
            int throttle,
            boolean multiprocess,
            boolean ordered,
            FailurePolicy failurePolicy) {
        this(name, kind, function, workers, throttle, multiprocess, ordered, failurePolicy, null);
    }

    /**
     * A spec without the options of section 9 ({@link FailurePolicy#NONE}) and without a key function.
     *
     * @param name see {@link #name()}
     * @param kind see {@link #kind()}
     * @param function see {@link #function()}
     * @param workers see {@link #workers()}
     * @param throttle see {@link #throttle()}
     * @param multiprocess see {@link #multiprocess()}
     * @param ordered see {@link #ordered()}
     */
    public TaskSpec(
            String name,
            Kind kind,
            Serializable function,
            int workers,
            int throttle,
            boolean multiprocess,
            boolean ordered) {
        this(name, kind, function, workers, throttle, multiprocess, ordered, FailurePolicy.NONE, null);
    }

    /**
     * How a task's function is called and how its results become outputs.
     */
    public enum Kind {
        /** {@code ThrowingFunction<I, O>}: one output per input (rule 2.2). */
        TASK,
        /** {@code ThrowingFunction<I, Iterable<O>>}: each element is one output (rule 2.3). */
        BRANCH,
        /** {@code Generator<I, O>}: each emitted value is one output, passed on at once (rule 2.3). */
        GENERATOR,
        /** {@code ThrowingFunction<Stream<I>, O>}: called once per worker with the input stream (rule 2.4). */
        JOIN,
        /** {@code Generator<Stream<I>, O>}: a join that emits its outputs (rule 2.4). */
        JOIN_GENERATOR,
        /** {@code ThrowingFunction<I, CompletionStage<O>>}: one output per completed stage (rule 5.1). */
        ASYNC,
        /** {@code ThrowingFunction<I, CompletionStage<Iterable<O>>>}: each element of the stage's result is one output (rule 5.1). */
        ASYNC_BRANCH,
        /**
         * {@link Batching}: no user function; the task groups its inputs into lists and passes each
         * list on as one output (rules 10.5 to 10.8). An executor makes its batches with
         * {@link Batching#of(TaskSpec)}; {@link TaskSpec#invoke} refuses it.
         */
        BATCH;

        /**
         * Whether the function takes the whole input stream rather than one input.
         *
         * @return true for {@link #JOIN} and {@link #JOIN_GENERATOR}
         */
        public boolean isJoin() {
            return this == JOIN || this == JOIN_GENERATOR;
        }

        /**
         * Whether the function returns a {@code CompletionStage}.
         *
         * @return true for {@link #ASYNC} and {@link #ASYNC_BRANCH}
         */
        public boolean isAsync() {
            return this == ASYNC || this == ASYNC_BRANCH;
        }
    }

    /**
     * Makes one invocation of this task's function, in the calling thread, and passes its outputs to
     * {@code out} as they are produced, the way the task's kind says: a task's or a join's result
     * (rules 2.2, 2.4), each element of a branch's {@code Iterable} as its iterator yields it
     * (rule 2.3), a generator's emits. For a join, {@code input} is the invocation's
     * {@code Stream} of inputs. The one place where every executor makes a blocking invocation, so
     * that every kind behaves alike on all of them.
     *
     * @param input the input, or the stream of inputs of a join
     * @param out where the outputs go
     * @throws Exception whatever the function throws, unchanged
     * @throws IllegalStateException naming the task, if a branch returned null or something that
     *     is not an {@code Iterable}, or if this is an async task, whose function returns a stage and
     *     is not invoked here (rule 5.1), or a batch task, which has no function (rule 10.5)
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void invoke(Object input, Emitter<Object> out) throws Exception {
        switch (kind) {
            case TASK, JOIN -> out.emit(((ThrowingFunction) function).apply(input));
            case BRANCH -> emitEach(((ThrowingFunction) function).apply(input), out);
            case GENERATOR, JOIN_GENERATOR -> ((Generator) function).generate(input, out);
            case ASYNC, ASYNC_BRANCH ->
                throw new IllegalStateException("async task '" + name
                        + "' returns a stage: its function is not invoked as a blocking one (rule 5.1)");
            case BATCH ->
                throw new IllegalStateException("batch task '" + name
                        + "' calls no function: an executor groups its inputs as its Batching says (rule 10.5)");
        }
    }

    /**
     * Starts one invocation of this async task's function, in the calling thread, and returns its
     * stage (rule 5.1): the one place where every executor calls an async function, so that every
     * kind of mistake fails alike on all of them.
     *
     * @param input the input
     * @return the stage that the function returned
     * @throws Exception whatever the function throws, unchanged
     * @throws IllegalStateException naming the task, if the function returned null, or this task
     *     is not async
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public CompletionStage<?> startAsync(Object input) throws Exception {
        if (!kind.isAsync()) {
            throw new IllegalStateException("task '" + name + "' is not async: its function is invoked with invoke()");
        }
        Object stage = ((ThrowingFunction) function).apply(input);
        if (stage == null) {
            throw new IllegalStateException("async task '" + name + "' returned null instead of a CompletionStage");
        }
        return (CompletionStage<?>) stage;
    }

    /**
     * Passes each element of a branch's result to {@code out} as its iterator yields it (rule 2.3);
     * also the value of an async branch's stage (rule 5.1).
     *
     * @param result what the function returned, or what its stage completed with
     * @param out where the elements go
     * @throws IllegalStateException naming the task, if {@code result} is null or not an {@code Iterable}
     */
    public void emitEach(Object result, Emitter<Object> out) {
        for (Object output : elementsOf(result)) {
            out.emit(output);
        }
    }

    /**
     * A branch's result as the {@code Iterable} whose elements are its outputs (rule 2.3); also the
     * value of an async branch's stage (rule 5.1): the one check, and the one message, of every
     * executor, made before the first element is taken.
     *
     * @param result what the function returned, or what its stage completed with
     * @return {@code result}, whose iterator yields the outputs
     * @throws IllegalStateException naming the task, if {@code result} is null or not an {@code Iterable}
     */
    public Iterable<?> elementsOf(Object result) {
        if (result == null) {
            throw new IllegalStateException("branch task '" + name + "' returned null instead of an Iterable");
        }
        if (!(result instanceof Iterable<?> iterable)) {
            throw new IllegalStateException("branch task '" + name + "' returned a "
                    + result.getClass().getName() + ", which is not an Iterable");
        }
        return iterable;
    }

    /**
     * Checks that this task's function, with its bound arguments, can cross to another JVM, as
     * worker processes and remote clusters need (rules 1.5, 1.6, 6.3): the one check and the one
     * message of the API and every executor.
     *
     * @param where where the task cannot run otherwise, for the message: {@code "in worker processes"}
     * @throws IllegalArgumentException naming the task, {@code where} and the reason, if the function
     *     cannot be serialized
     */
    public void requireSerializable(String where) {
        try (ObjectOutputStream out = new ObjectOutputStream(OutputStream.nullOutputStream())) {
            out.writeObject(function);
        } catch (IOException | RuntimeException e) {
            throw notSerializable(where, e);
        }
    }

    /**
     * The error for a function that cannot be serialized, where an executor found out while
     * sending it (see {@link #requireSerializable}).
     *
     * @param where where the task cannot run otherwise
     * @param cause why serialization failed
     * @return the exception to throw
     */
    public IllegalArgumentException notSerializable(String where, Throwable cause) {
        return new IllegalArgumentException(
                "Task '" + name + "' cannot run " + where
                        + ": its function or one of its bound arguments cannot be serialized: " + cause,
                cause);
    }

    /**
     * Returns a copy with other options.
     *
     * @param workers see {@link #workers()}
     * @param throttle see {@link #throttle()}
     * @param multiprocess see {@link #multiprocess()}
     * @param ordered see {@link #ordered()}
     * @param name see {@link #name()}
     * @return the new spec
     */
    public TaskSpec with(String name, int workers, int throttle, boolean multiprocess, boolean ordered) {
        return new TaskSpec(name, kind, function, workers, throttle, multiprocess, ordered, failurePolicy, key);
    }

    /**
     * A copy with another function and failure policy, and every other setting, the key function
     * included, kept: for an executor or a library that wraps a task's function (say, to restore a
     * context or to trace each invocation) without changing how the task runs.
     *
     * @param function see {@link #function()}, of the same kind
     * @param failurePolicy see {@link #failurePolicy()}
     * @return the new spec
     */
    public TaskSpec withFunction(Serializable function, FailurePolicy failurePolicy) {
        return new TaskSpec(name, kind, function, workers, throttle, multiprocess, ordered, failurePolicy, key);
    }

    /**
     * Whether the task was given {@code byKey(…)}: its inputs of one key are invoked one at a time,
     * in the order it took them (rule 10.10).
     *
     * @return true if {@link #key()} is not null
     */
    public boolean keyed() {
        return key != null;
    }

    /**
     * The key of an input of a keyed task, by its key function: the one place where every
     * executor calls it, so that a key function's mistakes fail alike on all of them (rule 10.12).
     * Keys are compared with {@code equals} and {@code hashCode}.
     *
     * @param input the input
     * @return its key, never null
     * @throws Exception whatever the key function throws, unchanged
     * @throws IllegalStateException naming the task and the option, if the key function returned
     *     null, or the task has no key function
     */
    @SuppressWarnings({"unchecked", "rawtypes"}) // the key function takes the task's inputs, as the API typed it
    public Object keyOf(Object input) throws Exception {
        if (key == null) {
            throw new IllegalStateException("task '" + name + "' has no key function (byKey)");
        }
        Object k = ((ThrowingFunction) key).apply(input);
        if (k == null) {
            throw new IllegalStateException("the key function of task '" + name
                    + "' returned null: give every input a key, a missing one a value of its own (rule 10.12)");
        }
        return k;
    }
}
