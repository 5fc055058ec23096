package dev.pyper;

import dev.pyper.function.Generator;
import dev.pyper.function.ThrowingBiFunction;
import dev.pyper.function.ThrowingFunction;
import dev.pyper.function.ThrowingTriFunction;
import dev.pyper.spi.TaskSpec;
import dev.pyper.spi.TaskSpec.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

/**
 * A pipeline of one task: pyper's {@code task(func, branch=…, join=…, workers=…, …)}.
 *
 * <p>The static factories say what the function is; the options say how it runs. Each option
 * returns a new task (rule 1.2) and checks its value at once (rule 1.3):
 *
 * <pre>{@code
 * Pipeline<Integer, Integer> p = Task.branch((Integer n) -> range(n))   // producer: one input, many outputs
 *         .pipe(Task.task(Demo::fetch).workers(64).throttle(100))       // 64 at a time, at most 100 buffered
 *         .pipe(Task.task(Demo::parse).ordered().workers(4));           // in input order
 * }</pre>
 *
 * <table>
 *   <caption>pyper and Pyper for Java</caption>
 *   <tr><th>pyper</th><th>Java</th></tr>
 *   <tr><td>{@code task(f)}</td><td>{@link #task(ThrowingFunction) Task.task(f)}</td></tr>
 *   <tr><td>{@code task(f, branch=True)}</td><td>{@link #branch(ThrowingFunction) Task.branch(f)}, {@link #branch(Generator) Task.branch((in, out) -> …)}</td></tr>
 *   <tr><td>{@code task(f, join=True)}</td><td>{@link #join(ThrowingFunction) Task.join(f)}</td></tr>
 *   <tr><td>{@code task(f, branch=True, join=True)}</td><td>{@link #join(Generator) Task.join((in, out) -> …)}</td></tr>
 *   <tr><td>{@code async def f}</td><td>{@link #async(ThrowingFunction) Task.async(f)}</td></tr>
 *   <tr><td>{@code workers=n}, {@code throttle=n}, {@code multiprocess=True}</td>
 *       <td>{@link #workers(int)}, {@link #throttle(int)}, {@link #multiprocess()}</td></tr>
 *   <tr><td>{@code bind=task.bind(a)}</td><td>{@link #bind(ThrowingBiFunction, Object) Task.bind(f, a)}</td></tr>
 * </table>
 *
 * @param <I> the input type
 * @param <O> the output type
 */
public final class Task<I, O> extends Pipeline<I, O> {

    private static final long serialVersionUID = 1L;

    private final TaskSpec spec;

    private Task(TaskSpec spec) {
        super(List.of(spec), null);
        this.spec = spec;
    }

    private static <I, O> Task<I, O> of(Kind kind, Serializable function, String option) {
        if (function == null) {
            throw new IllegalArgumentException("Task." + option + ": the function is null");
        }
        return new Task<>(new TaskSpec(FunctionNames.of(function), kind, function, 1, 0, false, false));
    }

    /**
     * A task that passes the function's return value on as one output, whatever it is (pyper's
     * {@code task(f)}, rules 1.1, 2.2).
     *
     * @param function the function, called once per input
     * @param <I> the input type
     * @param <O> the output type
     * @return the task
     * @throws IllegalArgumentException if {@code function} is null (rule 1.3)
     */
    public static <I, O> Task<I, O> task(ThrowingFunction<? super I, ? extends O> function) {
        return of(Kind.TASK, function, "task");
    }

    /**
     * A task that passes each element of the function's result on as one output, as soon as the
     * iterator yields it (pyper's {@code task(f, branch=True)}, rule 2.3).
     *
     * @param function the function, called once per input; it must not return null
     * @param <I> the input type
     * @param <O> the output type
     * @return the task
     * @throws IllegalArgumentException if {@code function} is null (rule 1.3)
     */
    public static <I, O> Task<I, O> branch(ThrowingFunction<? super I, ? extends Iterable<? extends O>> function) {
        return of(Kind.BRANCH, function, "branch");
    }

    /**
     * A task that passes on each output that the generator emits, at once: pyper's generator
     * function with {@code branch=True} (rule 2.3).
     *
     * <pre>{@code
     * Task.branch((Integer x, Emitter<Integer> out) -> { out.emit(1); out.emit(2); out.emit(3); })
     * }</pre>
     *
     * @param generator the generator, called once per input
     * @param <I> the input type
     * @param <O> the output type
     * @return the task
     * @throws IllegalArgumentException if {@code generator} is null (rule 1.3)
     */
    public static <I, O> Task<I, O> branch(Generator<? super I, O> generator) {
        return of(Kind.GENERATOR, generator, "branch");
    }

    /**
     * A task that takes the stream of the previous task's outputs and passes its return value on
     * (pyper's {@code task(f, join=True)}, rule 2.4). It is called once per worker; with several
     * workers they share the stream, each input going to exactly one of them. A join cannot be
     * the first task (rule 1.4).
     *
     * @param function the function, called once per worker
     * @param <I> the input type
     * @param <O> the output type
     * @return the task
     * @throws IllegalArgumentException if {@code function} is null (rule 1.3)
     */
    public static <I, O> Task<I, O> join(ThrowingFunction<? super Stream<I>, ? extends O> function) {
        return of(Kind.JOIN, function, "join");
    }

    /**
     * A join whose outputs are emitted one at a time (pyper's {@code task(f, branch=True,
     * join=True)}, rule 2.4).
     *
     * <pre>{@code
     * Task.join((Stream<Integer> in, Emitter<Integer> out) -> {
     *     int[] total = {0};
     *     in.forEach(x -> out.emit(total[0] += x));
     * })
     * }</pre>
     *
     * @param generator the generator, called once per worker
     * @param <I> the input type
     * @param <O> the output type
     * @return the task
     * @throws IllegalArgumentException if {@code generator} is null (rule 1.3)
     */
    public static <I, O> Task<I, O> join(Generator<? super Stream<I>, O> generator) {
        return of(Kind.JOIN_GENERATOR, generator, "join");
    }

    /**
     * A task whose function starts asynchronous work and returns its stage; the stage's result is
     * one output (pyper's {@code async def} task, rule 5.1). Up to {@code workers} stages are in
     * flight at once. An async task cannot be {@link #multiprocess()} (rule 1.5).
     *
     * @param function the function, called once per input
     * @param <I> the input type
     * @param <O> the output type
     * @return the task
     * @throws IllegalArgumentException if {@code function} is null (rule 1.3)
     */
    public static <I, O> Task<I, O> async(ThrowingFunction<? super I, ? extends CompletionStage<? extends O>> function) {
        return of(Kind.ASYNC, function, "async");
    }

    /**
     * An async task whose stage yields an {@code Iterable}: each element is one output (rule 5.1).
     *
     * @param function the function, called once per input
     * @param <I> the input type
     * @param <O> the output type
     * @return the task
     * @throws IllegalArgumentException if {@code function} is null (rule 1.3)
     */
    public static <I, O> Task<I, O> asyncBranch(
            ThrowingFunction<? super I, ? extends CompletionStage<? extends Iterable<? extends O>>> function) {
        return of(Kind.ASYNC_BRANCH, function, "asyncBranch");
    }

    /**
     * Binds a second argument: returns a function of the input alone that calls
     * {@code function.apply(input, a)} (pyper's {@code task.bind}). Usable in every factory.
     *
     * <pre>{@code
     * Task.task(Task.bind(Demo::applyMultiplier, 10))   // x -> applyMultiplier(x, 10)
     * }</pre>
     *
     * @param function the function of the input and the bound argument
     * @param a the bound argument; it must be serializable for {@link #multiprocess()} (rule 1.5)
     * @param <I> the input type
     * @param <A> the bound argument's type
     * @param <O> the result type
     * @return the function of the input alone, named after {@code function} (rule 1.7)
     * @throws IllegalArgumentException if {@code function} is null
     */
    public static <I, A, O> ThrowingFunction<I, O> bind(ThrowingBiFunction<? super I, ? super A, ? extends O> function, A a) {
        if (function == null) {
            throw new IllegalArgumentException("Task.bind: the function is null");
        }
        return new Bound1<>(function, a);
    }

    /**
     * Binds a second and a third argument: returns a function of the input alone that calls
     * {@code function.apply(input, a, b)} (pyper's {@code task.bind}).
     *
     * @param function the function of the input and the bound arguments
     * @param a the first bound argument
     * @param b the second bound argument
     * @param <I> the input type
     * @param <A> the first bound argument's type
     * @param <B> the second bound argument's type
     * @param <O> the result type
     * @return the function of the input alone, named after {@code function} (rule 1.7)
     * @throws IllegalArgumentException if {@code function} is null
     */
    public static <I, A, B, O> ThrowingFunction<I, O> bind(
            ThrowingTriFunction<? super I, ? super A, ? super B, ? extends O> function, A a, B b) {
        if (function == null) {
            throw new IllegalArgumentException("Task.bind: the function is null");
        }
        return new Bound2<>(function, a, b);
    }

    /**
     * Runs up to {@code n} invocations of this task at the same time (pyper's {@code workers=n},
     * rules 2.5, 2.9). Only a task after the first may have more than one (rule 1.4).
     *
     * @param n the number of workers, at least 1
     * @return a new task with that option
     * @throws IllegalArgumentException if {@code n < 1}, or this is an ordered join and
     *     {@code n > 1} (rules 1.3, 3.4)
     */
    public Task<I, O> workers(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + n + " (task '" + spec.name() + "')");
        }
        return with(spec.name(), n, spec.throttle(), spec.multiprocess(), spec.ordered());
    }

    /**
     * Bounds this task's output buffer to {@code t} outputs, so that a fast task pauses while the
     * next one is behind (pyper's {@code throttle=t}, rule 2.6). {@code 0}, the default, is
     * unbounded.
     *
     * @param t the bound, 0 for unbounded
     * @return a new task with that option
     * @throws IllegalArgumentException if {@code t < 0} (rule 1.3)
     */
    public Task<I, O> throttle(int t) {
        if (t < 0) {
            throw new IllegalArgumentException("throttle must be 0 (unbounded) or more, was " + t + " (task '" + spec.name() + "')");
        }
        return with(spec.name(), spec.workers(), t, spec.multiprocess(), spec.ordered());
    }

    /**
     * Runs this task's invocations in worker processes (pyper's {@code multiprocess=True},
     * section 6). The function and its bound arguments must be serializable, which is checked now
     * (rule 1.5).
     *
     * @return a new task with that option
     * @throws IllegalArgumentException if this task is async, or its function cannot be
     *     serialized (rule 1.5); the message names the function and the reason
     */
    public Task<I, O> multiprocess() {
        if (spec.kind().isAsync()) {
            throw new IllegalArgumentException("An async task cannot be multiprocess (task '" + spec.name() + "')");
        }
        requireSerializable(spec);
        return with(spec.name(), spec.workers(), spec.throttle(), true, spec.ordered());
    }

    /**
     * Keeps the input order with several workers: the workers still run concurrently, but all
     * outputs of input k are passed on before any of input k+1, with at most {@code workers}
     * inputs in flight or held (rule 3.3).
     *
     * @return a new task with that option
     * @throws IllegalArgumentException if this is a join with several workers (rule 3.4)
     */
    public Task<I, O> ordered() {
        return with(spec.name(), spec.workers(), spec.throttle(), spec.multiprocess(), true);
    }

    /**
     * Names this task in errors, logs, thread names and metrics, instead of the name taken from
     * its function (rule 1.7).
     *
     * @param name the name, not blank
     * @return a new task with that option
     * @throws IllegalArgumentException if {@code name} is null or blank
     */
    public Task<I, O> named(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("named: the name must not be blank, was " + (name == null ? "null" : "'" + name + "'")
                    + " (task '" + spec.name() + "')");
        }
        return with(name.strip(), spec.workers(), spec.throttle(), spec.multiprocess(), spec.ordered());
    }

    /**
     * This task as plain data.
     *
     * @return the task's spec
     */
    public TaskSpec spec() {
        return spec;
    }

    private Task<I, O> with(String name, int workers, int throttle, boolean multiprocess, boolean ordered) {
        if (ordered && workers > 1 && spec.kind().isJoin()) {
            throw new IllegalArgumentException("ordered() on a join task with several workers has no input order to keep (task '"
                    + name + "', workers(" + workers + "))");
        }
        return new Task<>(spec.with(name, workers, throttle, multiprocess, ordered));
    }

    private static void requireSerializable(TaskSpec spec) {
        try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
            out.writeObject(spec.function());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("multiprocess: the function of task '" + spec.name()
                    + "' or one of its bound arguments cannot be serialized: " + e, e);
        }
    }

    /** {@link #bind(ThrowingBiFunction, Object)}'s function: keeps the bound function's name. */
    private record Bound1<I, A, O>(ThrowingBiFunction<? super I, ? super A, ? extends O> function, A a)
            implements ThrowingFunction<I, O> {
        @Override
        public O apply(I input) throws Exception {
            return function.apply(input, a);
        }

        @Override
        public String toString() {
            return FunctionNames.of(function);
        }
    }

    /** {@link #bind(ThrowingTriFunction, Object, Object)}'s function: keeps the bound function's name. */
    private record Bound2<I, A, B, O>(ThrowingTriFunction<? super I, ? super A, ? super B, ? extends O> function, A a, B b)
            implements ThrowingFunction<I, O> {
        @Override
        public O apply(I input) throws Exception {
            return function.apply(input, a, b);
        }

        @Override
        public String toString() {
            return FunctionNames.of(function);
        }
    }
}
