package dev.pyper;

import dev.pyper.function.Generator;
import dev.pyper.function.ThrowingBiFunction;
import dev.pyper.function.ThrowingFunction;
import dev.pyper.function.ThrowingTriFunction;
import dev.pyper.spi.FailurePolicy;
import dev.pyper.spi.TaskSpec;
import dev.pyper.spi.TaskSpec.Kind;
import java.io.Serializable;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

/**
 * Pyper's {@code task(func, branch=…, join=…, workers=…, …)}: factories that make a pipeline of
 * one task from a function and its options. Import them statically and they read like pyper:
 *
 * <pre>{@code
 * import static dev.pyper.Task.*;
 *
 * Pipeline<Integer, Integer> p = branch(Demo::range)          // producer: one input, many outputs
 *         .pipe(task(x -> x * 10, workers(4)))                // 4 at a time; x is an Integer
 *         .pipe(task(Demo::parse, ordered(), workers(4), throttle(100)));
 * }</pre>
 *
 * <p>The factory says what the function is; the {@link Option}s after it say how it runs. Options
 * come as arguments, not as methods on the result, so that the call stands where Java expects a
 * {@code Pipeline<Integer, …>} (the argument of {@link Pipeline#pipe}, a declaration, one of
 * {@link Pipeline#of}'s parts) and Java infers the lambda's parameter type from there. Each
 * factory checks the function and the options at once (rules 1.3 to 1.5).
 *
 * <table>
 *   <caption>pyper and Pyper for Java</caption>
 *   <tr><th>pyper</th><th>Java</th></tr>
 *   <tr><td>{@code task(f)}</td><td>{@link #task task(f)}</td></tr>
 *   <tr><td>{@code task(f, branch=True)}</td><td>{@link #branch branch(f)} ({@code f} returns an
 *       {@code Iterable}), {@link #generator generator((in, out) -> …)} ({@code f} emits, as with
 *       {@code yield})</td></tr>
 *   <tr><td>{@code task(f, join=True)}</td><td>{@link #join join(f)}</td></tr>
 *   <tr><td>{@code task(f, branch=True, join=True)}</td><td>{@link #joinGenerator joinGenerator((in, out) -> …)}</td></tr>
 *   <tr><td>{@code async def f}</td><td>{@link #async async(f)}, {@link #asyncBranch asyncBranch(f)}</td></tr>
 *   <tr><td>{@code workers=n}, {@code throttle=n}, {@code multiprocess=True}</td>
 *       <td>{@link #workers(int) workers(n)}, {@link #throttle(int) throttle(n)}, {@link #multiprocess()}</td></tr>
 *   <tr><td>&mdash;</td><td>{@link #rate(double) rate(perSecond)}: at most so many invocations a second (section 10)</td></tr>
 *   <tr><td>&mdash;</td><td>{@link #byKey(ThrowingFunction) byKey(key)}: inputs of one key one at a time, in order;
 *       different keys at once (section 10)</td></tr>
 *   <tr><td>{@code bind=task.bind(a)}</td><td>{@link #bind(ThrowingBiFunction, Object) bind(f, a)}</td></tr>
 *   <tr><td>—</td><td>{@link #batch(int, java.time.Duration, Option...) batch(n, maxWait)}: lists of inputs for
 *       calls that take many; {@link #flatten(Option...) flatten()} back to items (section 10)</td></tr>
 * </table>
 *
 * <p>The generator forms have names of their own rather than overloading {@code branch} and
 * {@code join}, so that a method reference to an overloaded method is never ambiguous.
 */
public final class Task {

    private Task() {}

    /**
     * A task that passes the function's return value on as one output, whatever it is (pyper's
     * {@code task(f)}, rules 1.1, 2.2).
     *
     * @param function the function, called once per input
     * @param options how the task runs
     * @param <I> the input type
     * @param <O> the output type
     * @return a pipeline of this one task
     * @throws IllegalArgumentException if {@code function} or an option is null or invalid
     *     (rules 1.3 to 1.5), naming the task, the option and the value
     */
    public static <I, O> Pipeline<I, O> task(ThrowingFunction<? super I, ? extends O> function, Option... options) {
        return of(Kind.TASK, function, "task", options);
    }

    /**
     * A task that passes each element of the function's result on as one output, as soon as the
     * iterator yields it (pyper's {@code task(f, branch=True)}, rule 2.3).
     *
     * @param function the function, called once per input; it must not return null
     * @param options how the task runs
     * @param <I> the input type
     * @param <O> the output type
     * @return a pipeline of this one task
     * @throws IllegalArgumentException as {@link #task} does
     */
    public static <I, O> Pipeline<I, O> branch(
            ThrowingFunction<? super I, ? extends Iterable<? extends O>> function, Option... options) {
        return of(Kind.BRANCH, function, "branch", options);
    }

    /**
     * A branch task whose function hands its outputs over one at a time: pyper's generator
     * function with {@code branch=True} (rule 2.3). Each emitted output is passed on at once.
     *
     * <pre>{@code
     * generator((Integer x, Emitter<Integer> out) -> { out.emit(x); out.emit(x + 1); })
     * }</pre>
     *
     * @param generator the generator, called once per input
     * @param options how the task runs
     * @param <I> the input type
     * @param <O> the output type
     * @return a pipeline of this one task
     * @throws IllegalArgumentException as {@link #task} does
     */
    public static <I, O> Pipeline<I, O> generator(Generator<? super I, O> generator, Option... options) {
        return of(Kind.GENERATOR, generator, "generator", options);
    }

    /**
     * A task that takes the stream of the previous task's outputs and passes its return value on
     * (pyper's {@code task(f, join=True)}, rule 2.4). It is called once per worker; with several
     * workers they share the stream, each input going to exactly one of them. A join cannot be the
     * first task (rule 1.4).
     *
     * @param function the function, called once per worker
     * @param options how the task runs
     * @param <I> the input type
     * @param <O> the output type
     * @return a pipeline of this one task
     * @throws IllegalArgumentException as {@link #task} does, and for {@code ordered()} with
     *     several workers (rule 3.4)
     */
    public static <I, O> Pipeline<I, O> join(
            ThrowingFunction<? super Stream<I>, ? extends O> function, Option... options) {
        return of(Kind.JOIN, function, "join", options);
    }

    /**
     * A join whose outputs are emitted one at a time (pyper's {@code task(f, branch=True,
     * join=True)}, rule 2.4).
     *
     * <pre>{@code
     * joinGenerator((Stream<Integer> in, Emitter<Integer> out) -> {
     *     int[] total = {0};
     *     in.forEach(x -> out.emit(total[0] += x));
     * })
     * }</pre>
     *
     * @param generator the generator, called once per worker
     * @param options how the task runs
     * @param <I> the input type
     * @param <O> the output type
     * @return a pipeline of this one task
     * @throws IllegalArgumentException as {@link #join} does
     */
    public static <I, O> Pipeline<I, O> joinGenerator(Generator<? super Stream<I>, O> generator, Option... options) {
        return of(Kind.JOIN_GENERATOR, generator, "joinGenerator", options);
    }

    /**
     * A task whose function starts asynchronous work and returns its stage; the stage's result is
     * one output (pyper's {@code async def} task, rule 5.1). Up to {@code workers} stages are in
     * flight at once. An async task cannot be {@link #multiprocess()} (rule 1.5).
     *
     * @param function the function, called once per input
     * @param options how the task runs
     * @param <I> the input type
     * @param <O> the output type
     * @return a pipeline of this one task
     * @throws IllegalArgumentException as {@link #task} does
     */
    public static <I, O> Pipeline<I, O> async(
            ThrowingFunction<? super I, ? extends CompletionStage<? extends O>> function, Option... options) {
        return of(Kind.ASYNC, function, "async", options);
    }

    /**
     * An async task whose stage yields an {@code Iterable}: each element is one output (rule 5.1).
     *
     * @param function the function, called once per input
     * @param options how the task runs
     * @param <I> the input type
     * @param <O> the output type
     * @return a pipeline of this one task
     * @throws IllegalArgumentException as {@link #async} does
     */
    public static <I, O> Pipeline<I, O> asyncBranch(
            ThrowingFunction<? super I, ? extends CompletionStage<? extends Iterable<? extends O>>> function,
            Option... options) {
        return of(Kind.ASYNC_BRANCH, function, "asyncBranch", options);
    }

    /**
     * A task that groups its inputs into batches: lists of at most {@code size} inputs, in the order
     * it takes them, each handed on when it is full, when {@code maxWait} has passed since it took
     * its first input, or at the end of the stream, and never empty (rules 10.5 to 10.8). The
     * task after it takes one batch per invocation, so bulk calls read as plain tasks:
     *
     * <pre>{@code
     * Pipeline<Path, Integer> inserted = Pipeline.of(
     *         branch(Files::readAllLines),
     *         batch(100, Duration.ofMillis(50)),        // up to 100 lines, none waiting over 50 ms
     *         task(db::insertAll, workers(4)));         // List<String> -> Integer, four batches at a time
     * }</pre>
     *
     * <p>A batch is a list that cannot be changed and may hold {@code null} inputs (rule 8.4).
     * The time runs on the JVM's {@link dev.pyper.spi.PolicyClock} (rule 10.8), and nothing waits
     * on a full batch: a consumer that falls behind pauses the tasks before it through the
     * buffers, whose {@code throttle} counts inputs (rule 10.7). The task has one worker and calls
     * no function of yours, so it takes only {@link #named(String)}, {@link #throttle(int)} (0, or
     * at least {@code size}: it counts inputs, in whole batches), {@code workers(1)} and
     * {@link #ordered()}; the options of the task that takes the batches ({@code workers},
     * {@code multiprocess()}, {@code retry}, …) apply to whole batches (rule 10.9). It cannot be
     * the first task of a pipeline.
     *
     * @param size the most inputs of a batch, at least 1
     * @param maxWait how long a batch waits for more inputs after its first one, more than zero
     * @param options {@code named}, {@code throttle}, {@code workers(1)}, {@code ordered()}
     * @param <T> the input type
     * @return a pipeline of this one task
     * @throws IllegalArgumentException if {@code size < 1}, {@code maxWait} is null, zero or
     *     negative, or an option is null, invalid or not one a batch takes, naming the task, the
     *     option and the value (rules 1.3, 10.9)
     */
    public static <T> Pipeline<T, java.util.List<T>> batch(int size, java.time.Duration maxWait, Option... options) {
        if (maxWait == null) {
            throw new IllegalArgumentException("batch(" + size + ", null): maxWait is null; batch(" + size
                    + ") makes batches that wait until they are full or the stream ends");
        }
        return batchOf(size, maxWait, options);
    }

    /**
     * A task that groups its inputs into batches of at most {@code size} that wait until they are
     * full or the stream ends; see {@link #batch(int, java.time.Duration, Option...)}, which
     * also hands on a batch that has waited long enough (rules 10.5 to 10.9).
     *
     * @param size the most inputs of a batch, at least 1
     * @param options {@code named}, {@code throttle}, {@code workers(1)}, {@code ordered()}
     * @param <T> the input type
     * @return a pipeline of this one task
     * @throws IllegalArgumentException if {@code size < 1}, or an option is null, invalid or not
     *     one a batch takes (rules 1.3, 10.9)
     */
    public static <T> Pipeline<T, java.util.List<T>> batch(int size, Option... options) {
        return batchOf(size, null, options);
    }

    private static <T> Pipeline<T, java.util.List<T>> batchOf(int size, java.time.Duration maxWait, Option[] options) {
        String factory = maxWait == null ? "batch(" + size + ")" : "batch(" + size + ", " + maxWait + ")";
        if (size < 1) {
            throw new IllegalArgumentException(
                    factory + ": the size must be at least 1, was " + size + " (task 'batch')");
        }
        if (maxWait != null && (maxWait.isZero() || maxWait.isNegative())) {
            throw new IllegalArgumentException(
                    factory + ": maxWait must be more than zero, was " + maxWait + " (task 'batch')");
        }
        return of(Kind.BATCH, new dev.pyper.spi.Batching(size, maxWait), factory, options);
    }

    /**
     * The reverse of {@link #batch(int, java.time.Duration, Option...) batch}: a task that passes
     * on each element of each input, in order, as soon as it comes to it (rule 10.5). It is
     * {@code branch(list -> list)} with a name that says so, and takes a branch's options.
     *
     * <pre>{@code
     * Pipeline.of(branch(Files::readAllLines), batch(100), task(Embeddings::of), flatten())   // a vector per line
     * }</pre>
     *
     * @param options how the task runs, as for {@link #branch}
     * @param <T> the element type
     * @return a pipeline of this one task
     * @throws IllegalArgumentException as {@link #branch} does
     */
    public static <T> Pipeline<Iterable<? extends T>, T> flatten(Option... options) {
        return of(Kind.BRANCH, Flatten.INSTANCE, "flatten", options);
    }

    /**
     * Runs up to {@code n} invocations of the task at the same time (pyper's {@code workers=n},
     * rules 2.5, 2.9). Only a task after the first may have more than one (rule 1.4).
     *
     * @param n the number of workers, at least 1 (checked when the task is built, rule 1.3)
     * @return the option
     */
    public static Option workers(int n) {
        return new Option.Workers(n);
    }

    /**
     * Bounds the task's output buffer to {@code t} outputs, so that a fast task pauses while the
     * next one is behind (pyper's {@code throttle=t}, rule 2.6). {@code 0}, the default, is
     * unbounded.
     *
     * @param t the bound, 0 for unbounded (checked when the task is built, rule 1.3)
     * @return the option
     */
    public static Option throttle(int t) {
        return new Option.Throttle(t);
    }

    /**
     * Runs the task's invocations in worker processes (pyper's {@code multiprocess=True},
     * section 6). The function and its bound arguments must be serializable, which is checked when
     * the task is built (rule 1.5); an async task cannot be multiprocess.
     *
     * @return the option
     */
    public static Option multiprocess() {
        return new Option.Multiprocess();
    }

    /**
     * Keeps the input order with several workers: the workers still run concurrently, but all
     * outputs of input k are passed on before any of input k+1, with at most {@code workers}
     * inputs in flight or held (rule 3.3). Refused on a join with several workers (rule 3.4).
     *
     * @return the option
     */
    public static Option ordered() {
        return new Option.Ordered();
    }

    /**
     * Names the task in errors, logs, thread names and metrics, instead of the name taken from its
     * function (rule 1.7).
     *
     * @param name the name, not blank (checked when the task is built, rule 1.3)
     * @return the option
     */
    public static Option named(String name) {
        return new Option.Named(name);
    }

    /**
     * Makes a failed invocation again, up to {@code retries} more times, with the same input, after
     * a backoff of 100 ms doubling up to 30 s with a jitter of a half (rules 9.2, 9.3). Only an
     * invocation that passed no output on is retried: a branch or a generator that emitted some of
     * its outputs before it failed has failed for good, so that no output is passed on twice. The
     * option's withers set the backoff, the jitter and the failures worth retrying:
     *
     * <pre>{@code
     * task(Http::get, workers(8), retry(3).backoff(Duration.ofMillis(200), Duration.ofSeconds(5)).on(IOException.class))
     * }</pre>
     *
     * <p>Retries are made by the invocation's own worker: they never add to {@code workers}, keep
     * {@code ordered()}'s order and {@code throttle}'s bound; an async task's attempts are chained on
     * its stages, no thread waiting. Not for joins, whose input stream is read once (rule 9.1).
     *
     * @param retries how many times an invocation may be made again, at least 1 (checked when the task is built)
     * @return the option
     */
    public static Option.Retry retry(int retries) {
        return new Option.Retry(
                retries,
                Option.Retry.DEFAULT_FIRST_BACKOFF,
                Option.Retry.DEFAULT_MAX_BACKOFF,
                Option.Retry.DEFAULT_JITTER,
                java.util.List.of(Exception.class),
                null);
    }

    /**
     * Limits how long one invocation may take: past {@code limit} its thread is interrupted (a
     * multiprocess task's call is stopped in its worker process) and the invocation fails with a
     * {@link TaskTimeoutException} naming the task, the input and the limit, a failure like any
     * other for {@link #retry(int)}, {@link #skipFailures()} and {@link #deadLetters(DeadLetterSink)}
     * (rule 9.4). The limit counts the invocation's own time: while one of its outputs waits to be
     * taken (a full buffer downstream, a slow consumer), its clock stands still. An async task's
     * stage is cancelled instead. Not for joins.
     *
     * @param limit the longest an invocation may run, more than zero (checked when the task is built)
     * @return the option
     */
    public static Option timeout(java.time.Duration limit) {
        return new Option.Timeout(limit);
    }

    /**
     * Limits how often the task's invocations start: at most {@code perSecond} a second on
     * average, in bursts of at most one unless {@link Option.Rate#burst(int)} allows more, counted
     * over all of the task's workers in a run (rule 10.1). Each attempt takes a token before it
     * starts, a retry's too, and a worker without one waits for it, on the
     * {@link dev.pyper.spi.PolicyClock} (rule 9.7); the wait is not part of a {@link #timeout}
     * (rule 10.3), and cancelling the run ends it (rule 10.4). An API that allows 50 requests a
     * second, 10 at once:
     *
     * <pre>{@code
     * task(Api::call, workers(16), rate(50).burst(10), retry(3))
     * }</pre>
     *
     * <p>Not {@link #throttle(int)}, which bounds buffered outputs, not time. Not for joins, which
     * are invoked once per worker (rule 10.2).
     *
     * @param perSecond how many invocations may start a second, more than 0 and finite (checked
     *     when the task is built, rule 10.2); 0.5 is one every two seconds
     * @return the option, with a burst of 1
     */
    public static Option.Rate rate(double perSecond) {
        return new Option.Rate(perSecond, 1);
    }

    /**
     * Runs the task's inputs of one key one at a time, in the order the task takes them, and
     * inputs of different keys at the same time, up to {@code workers} (rules 10.10 to 10.14): the
     * events of one account are applied in order while many accounts are applied at once.
     *
     * <pre>{@code
     * Pipeline<Event, Balance> apply = task(Ledger::apply, workers(8), byKey(Event::account));
     * }</pre>
     *
     * <p>The key function is called once per input, when the task takes it, in the JVM that
     * dispatches the task's invocations (the caller's for a {@link #multiprocess()} task); keys are
     * compared with {@code equals}, and must not be {@code null}. A free worker takes the next input
     * whose key is not busy: an input whose key is busy waits aside, at most {@code workers} of
     * them, so a hot key never holds the other keys back nor grows a queue; past that the task
     * takes no more inputs and the tasks before it pause (rule 10.11). The outputs of one key leave
     * in that key's input order; with {@link #ordered()} all outputs leave in input order. It
     * composes with {@code retry} (a retried input keeps its key), {@code timeout},
     * {@code skipFailures}, {@code deadLetters}, {@code rate} and {@code multiprocess()}; an async
     * task, a join and a batch refuse it (rule 10.12).
     *
     * <p>The option stands apart from the task's function, so Java does not infer the key
     * function's parameter from the task: give a method reference ({@code Event::account}) or a
     * lambda with a typed parameter ({@code (Event e) -> e.account()}); the task's own untyped
     * lambda still infers from where the task stands (rule 1.9).
     *
     * @param key the key of an input, serializable where the executor ships the task (rule 1.6)
     * @param <I> the input type
     * @return the option
     * @throws IllegalArgumentException if {@code key} is null
     */
    public static <I> Option byKey(ThrowingFunction<? super I, ?> key) {
        if (key == null) {
            throw new IllegalArgumentException("byKey: the key function is null");
        }
        return new Option.ByKey(key);
    }

    /**
     * Drops an input whose invocation failed for good (out of retries, or not worth retrying)
     * instead of failing the run: the task goes on with its next input, counts the input in
     * {@link TaskMetrics#skipped()} and logs it, at most one line per task every 10 seconds
     * (rule 9.5). Not for joins.
     *
     * @return the option
     */
    public static Option skipFailures() {
        return new Option.OnFailure(null);
    }

    /**
     * Hands an input whose invocation failed for good to {@code sink} instead of failing the run:
     * the task goes on with its next input and counts the input in
     * {@link TaskMetrics#deadLettered()} (rule 9.5). A sink that throws fails the run. The same
     * option as {@link #skipFailures()}: a task has one or the other.
     *
     * @param sink where failed inputs go, called in the task's workers (see {@link DeadLetterSink})
     * @return the option
     */
    public static Option deadLetters(DeadLetterSink sink) {
        if (sink == null) {
            throw new IllegalArgumentException("deadLetters: the sink is null");
        }
        return new Option.OnFailure(sink);
    }

    /**
     * Binds a second argument: returns a function of the input alone that calls
     * {@code function.apply(input, a)} (pyper's {@code task.bind}). Usable in every factory.
     *
     * <pre>{@code
     * task(bind(Demo::applyMultiplier, 10))   // x -> applyMultiplier(x, 10)
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
    public static <I, A, O> ThrowingFunction<I, O> bind(
            ThrowingBiFunction<? super I, ? super A, ? extends O> function, A a) {
        if (function == null) {
            throw new IllegalArgumentException("bind: the function is null");
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
            throw new IllegalArgumentException("bind: the function is null");
        }
        return new Bound2<>(function, a, b);
    }

    private static <I, O> Pipeline<I, O> of(Kind kind, Serializable function, String factory, Option[] options) {
        if (function == null) {
            throw new IllegalArgumentException(factory + ": the function is null");
        }
        if (options == null) {
            throw new IllegalArgumentException(
                    factory + ": the options are null (task '" + FunctionNames.of(function) + "')");
        }
        String name = FunctionNames.of(function);
        int workers = 1;
        int throttle = 0;
        boolean multiprocess = false;
        boolean ordered = false;
        Option.Retry retry = null;
        Option.Timeout timeout = null;
        Option.OnFailure onFailure = null;
        Option.Rate rate = null;
        ThrowingFunction<?, ?> key = null;
        java.util.Set<Class<?>> seen = new java.util.HashSet<>();
        for (Option option : options) {
            if (option == null) {
                throw new IllegalArgumentException(factory + ": an option is null (task '" + name + "')");
            }
            if (!seen.add(option.getClass())) {
                throw new IllegalArgumentException(
                        factory + ": " + option + " is given twice or more (task '" + name + "')"
                                + (option instanceof Option.OnFailure
                                        ? ": skipFailures() and deadLetters(...) are one option"
                                        : ""));
            }
            if (option instanceof Option.Named named) {
                if (named.name() == null || named.name().isBlank()) {
                    throw new IllegalArgumentException(
                            factory + ": " + named + ": the name must not be blank (task '" + name + "')");
                }
                name = named.name().strip();
            }
        }
        if (kind == Kind.BATCH) {
            for (Option option : options) {
                refuseForBatch(option, (dev.pyper.spi.Batching) function, name);
            }
        }
        for (Option option : options) {
            switch (option) {
                case Option.Workers w -> {
                    if (w.n() < 1) {
                        throw new IllegalArgumentException(
                                w + ": workers must be at least 1, was " + w.n() + " (task '" + name + "')");
                    }
                    workers = w.n();
                }
                case Option.Throttle t -> {
                    if (t.t() < 0) {
                        throw new IllegalArgumentException(t + ": throttle must be 0 (unbounded) or more, was " + t.t()
                                + " (task '" + name + "')");
                    }
                    throttle = t.t();
                }
                case Option.Multiprocess m -> {
                    if (kind.isAsync()) {
                        throw new IllegalArgumentException(
                                "multiprocess(): an async task cannot be multiprocess (task '" + name + "')");
                    }
                    multiprocess = true;
                }
                case Option.Ordered o -> ordered = true;
                case Option.Named n -> {
                    // applied above, so that every message names the task by its given name
                }
                case Option.Retry r -> {
                    refuseFor(kind, r, name);
                    checkRetry(r, name);
                    retry = r;
                }
                case Option.Timeout t -> {
                    refuseFor(kind, t, name);
                    if (t.limit() == null || t.limit().isNegative() || t.limit().isZero()) {
                        throw new IllegalArgumentException(
                                t + ": the limit must be more than zero, was " + t.limit() + " (task '" + name + "')");
                    }
                    timeout = t;
                }
                case Option.OnFailure f -> {
                    refuseFor(kind, f, name);
                    onFailure = f;
                }
                case Option.Rate r -> {
                    checkRate(kind, r, name);
                    rate = r;
                }
                case Option.ByKey k -> {
                    checkByKey(kind, k, name);
                    key = k.key();
                }
            }
        }
        if (ordered && workers > 1 && kind.isJoin()) {
            throw new IllegalArgumentException(
                    "ordered() on a join task with several workers has no input order to keep (task '" + name
                            + "', workers(" + workers + "))");
        }
        TaskSpec spec = new TaskSpec(
                name,
                kind,
                function,
                workers,
                throttle,
                multiprocess,
                ordered,
                FailurePolicy.of(retry, timeout, onFailure, rate),
                key);
        if (multiprocess) {
            spec.requireSerializable("in worker processes (multiprocess())");
        }
        return new Pipeline<>(spec);
    }

    /**
     * Rule 10.9: a batch task has one worker and calls no function of the user's, so only the
     * options that shape its buffer, its name and its (single) worker are taken; everything else
     * belongs to the task that takes the batches.
     */
    private static void refuseForBatch(Option option, dev.pyper.spi.Batching batching, String name) {
        String why = switch (option) {
            case Option.Named n -> null;
            case Option.Ordered o -> null; // one worker keeps the order anyway (rule 3.1)
            case Option.Workers w ->
                w.n() == 1
                        ? null
                        : "a batch task has one worker, which fills one batch at a time in"
                                + " the order of its inputs; give " + w + " to the task that takes the batches";
            case Option.Throttle t ->
                t.t() == 0 || t.t() >= batching.size()
                        ? null
                        : "a batch task's throttle counts inputs"
                                + " in whole batches, and a batch holds up to " + batching.size()
                                + ": give 0 (unbounded) or at least "
                                + batching.size();
            case Option.Multiprocess m ->
                "a batch task calls no function, so nothing of it would run in a worker process;"
                        + " give multiprocess() to the task that takes the batches";
            case Option.Retry r -> noFunction();
            case Option.Timeout t -> noFunction();
            case Option.OnFailure f -> noFunction();
            case Option.Rate r ->
                "a batch task calls no function, so it has no invocations to pace; give " + r
                        + " to the task that takes the batches, where each call takes a whole batch";
            case Option.ByKey k ->
                "a batch task calls no function and has one worker, so it has no invocations to keep"
                        + " apart by key; give " + k + " to the task before it or to the task that takes the batches";
        };
        if (why != null) {
            throw new IllegalArgumentException(option + ": " + why + " (task '" + name + "')");
        }
    }

    private static String noFunction() {
        return "a batch task calls no function, so it has nothing to retry, time out, skip or dead-letter; give the option"
                + " to the task that takes the batches, where it applies to whole batches";
    }

    /** Rule 9.1: a join reads its input stream once. */
    private static void refuseFor(Kind kind, Option option, String name) {
        if (kind.isJoin()) {
            throw new IllegalArgumentException(
                    option + ": a join reads its input stream once, so its invocation cannot be made"
                            + " again, timed out or skipped (task '" + name + "')");
        }
    }

    /** Rule 10.2: a rate's values, and no rate on a join, which is invoked once per worker. */
    private static void checkRate(Kind kind, Option.Rate r, String name) {
        String problem = null;
        if (kind.isJoin()) {
            problem =
                    "a join is invoked once per worker, with its whole input stream: there are no invocations to pace";
        } else if (!(r.perSecond() > 0) || Double.isInfinite(r.perSecond())) {
            problem = "the rate must be more than 0 a second and finite, was " + r.perSecond();
        } else if (r.burst() < 1) {
            problem = "the burst must be at least 1, was " + r.burst();
        }
        if (problem != null) {
            throw new IllegalArgumentException(r + ": " + problem + " (task '" + name + "')");
        }
    }

    /** Rule 10.12: a key belongs to an input invoked on its own, by a worker that waits for it. */
    private static void checkByKey(Kind kind, Option.ByKey k, String name) {
        String problem = null;
        if (kind.isJoin()) {
            problem = "a join is invoked once per worker, with its whole input stream: there are no"
                    + " invocations of one input to keep apart by key";
        } else if (kind.isAsync()) {
            problem = "an async task keeps its stages in flight with no worker waiting on them, so there is"
                    + " no worker to hold a key's turn; make it a blocking task(...) whose function waits on the"
                    + " stage (join()), with as many workers as stages you want in flight";
        }
        if (problem != null) {
            throw new IllegalArgumentException(k + ": " + problem + " (task '" + name + "')");
        }
    }

    private static void checkRetry(Option.Retry r, String name) {
        String problem = null;
        if (r.retries() < 1) {
            problem = "retries must be at least 1, was " + r.retries();
        } else if (r.firstBackoff().isNegative()) {
            problem = "the first backoff must be zero or more, was " + r.firstBackoff();
        } else if (r.maxBackoff().compareTo(r.firstBackoff()) < 0) {
            problem = "the backoff's cap " + r.maxBackoff() + " is less than its first wait " + r.firstBackoff();
        } else if (!(r.jitter() >= 0 && r.jitter() <= 1)) {
            problem = "the jitter must be from 0 to 1, was " + r.jitter();
        } else if (r.on().isEmpty()) {
            problem = "on(...) names no exception type";
        }
        if (problem != null) {
            throw new IllegalArgumentException(r + ": " + problem + " (task '" + name + "')");
        }
    }

    /** {@link #flatten}'s function: its input, whose elements the branch passes on; named {@code flatten} (rule 1.7). */
    private enum Flatten implements ThrowingFunction<Iterable<?>, Iterable<?>> {
        INSTANCE;

        @Override
        public Iterable<?> apply(Iterable<?> batch) {
            return batch;
        }

        @Override
        public String toString() {
            return "flatten";
        }
    }

    /**
     * {@link #bind(ThrowingBiFunction, Object)}'s function: keeps the bound function's name.
     *
     * @param function the function of the input and the bound argument
     * @param a the bound argument
     * @param <I> the input type
     * @param <A> the bound argument's type
     * @param <O> the output type
     */
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

    /**
     * {@link #bind(ThrowingTriFunction, Object, Object)}'s function: keeps the bound function's name.
     *
     * @param function the function of the input and the bound arguments
     * @param a the first bound argument
     * @param b the second bound argument
     * @param <I> the input type
     * @param <A> the first bound argument's type
     * @param <B> the second bound argument's type
     * @param <O> the output type
     */
    private record Bound2<I, A, B, O>(
            ThrowingTriFunction<? super I, ? super A, ? super B, ? extends O> function, A a, B b)
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
