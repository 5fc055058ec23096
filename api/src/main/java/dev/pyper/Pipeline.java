package dev.pyper;

import dev.pyper.function.ThrowingFunction;
import dev.pyper.spi.Plan;
import dev.pyper.spi.Run;
import dev.pyper.spi.TaskSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A chain of tasks that turns one input into a lazy stream of outputs: pyper's {@code Pipeline}.
 *
 * <p>Pipelines are immutable values (rule 1.2). {@link Task}'s factories make pipelines of one
 * task; {@link #pipe} joins two (pyper's {@code |}); {@link #of} writes a whole chain at once.
 * {@link #stream} runs one and pulls its outputs; {@link #toList}, {@link #forEach} and
 * {@link #consume} are the common ends of a run, each closing it for you.
 *
 * <pre>{@code
 * Pipeline<Integer, Integer> p = Pipeline.of(
 *         branch(n -> List.of(n, n + 1, n + 2)),
 *         task(Demo::slowFunc, workers(20)),
 *         task(x -> x * 10));
 * p.forEach(0, System.out::println);
 * }</pre>
 *
 * <p>A pipeline can be run any number of times, also concurrently, and runs share no state
 * (rule 1.2). It runs on the executor bound with {@link #on}, or else on the shared default
 * executor (rule 2.8).
 *
 * @param <I> the input type of the first task
 * @param <O> the output type of the last task
 */
public final class Pipeline<I, O> implements Serializable {

    private static final long serialVersionUID = 2L;

    /** The tasks, first to last; serialized, so that a pipeline crosses to worker processes and clusters. */
    private final List<TaskSpec> tasks;
    /** Not serialized: a pipeline that crosses to another JVM runs on that JVM's default executor. */
    private final transient PipelineExecutor executor;

    Pipeline(TaskSpec task) {
        this(List.of(task), null);
    }

    private Pipeline(List<TaskSpec> tasks, PipelineExecutor executor) {
        this.tasks = List.copyOf(tasks);
        this.executor = executor;
    }

    /**
     * A pipeline of two parts, first to last. Java takes every type from the declaration the call
     * stands in, so untyped lambdas and overloaded method references work in every position, the
     * producer's included:
     *
     * <pre>{@code
     * Pipeline<Integer, Integer> p = Pipeline.of(branch(n -> range(n)), task(x -> x * 10, workers(4)));
     * }</pre>
     *
     * @param first the first part; its first task is the producer
     * @param second the part that takes the first one's outputs
     * @param <A> the input type
     * @param <B> the first part's output type
     * @param <C> the output type
     * @return the pipeline
     * @throws IllegalArgumentException if a part is null, or parts are bound to different executors
     */
    public static <A, B, C> Pipeline<A, C> of(Pipeline<A, B> first, Pipeline<? super B, C> second) {
        return first(first).pipe(second);
    }

    /**
     * A pipeline of three parts, first to last; see {@link #of(Pipeline, Pipeline)}.
     *
     * @param first the first part; its first task is the producer
     * @param second the second part
     * @param third the third part
     * @param <A> the input type
     * @param <B> the first part's output type
     * @param <C> the second part's output type
     * @param <D> the output type
     * @return the pipeline
     * @throws IllegalArgumentException as {@link #of(Pipeline, Pipeline)} does
     */
    public static <A, B, C, D> Pipeline<A, D> of(
            Pipeline<A, B> first, Pipeline<? super B, C> second, Pipeline<? super C, D> third) {
        return first(first).pipe(second).pipe(third);
    }

    /**
     * A pipeline of four parts, first to last; see {@link #of(Pipeline, Pipeline)}.
     *
     * @param first the first part; its first task is the producer
     * @param second the second part
     * @param third the third part
     * @param fourth the fourth part
     * @param <A> the input type
     * @param <B> the first part's output type
     * @param <C> the second part's output type
     * @param <D> the third part's output type
     * @param <E> the output type
     * @return the pipeline
     * @throws IllegalArgumentException as {@link #of(Pipeline, Pipeline)} does
     */
    public static <A, B, C, D, E> Pipeline<A, E> of(
            Pipeline<A, B> first,
            Pipeline<? super B, C> second,
            Pipeline<? super C, D> third,
            Pipeline<? super D, E> fourth) {
        return first(first).pipe(second).pipe(third).pipe(fourth);
    }

    /**
     * A pipeline of five parts, first to last; see {@link #of(Pipeline, Pipeline)}.
     *
     * @param first the first part; its first task is the producer
     * @param second the second part
     * @param third the third part
     * @param fourth the fourth part
     * @param fifth the fifth part
     * @param <A> the input type
     * @param <B> the first part's output type
     * @param <C> the second part's output type
     * @param <D> the third part's output type
     * @param <E> the fourth part's output type
     * @param <F> the output type
     * @return the pipeline
     * @throws IllegalArgumentException as {@link #of(Pipeline, Pipeline)} does
     */
    public static <A, B, C, D, E, F> Pipeline<A, F> of(
            Pipeline<A, B> first,
            Pipeline<? super B, C> second,
            Pipeline<? super C, D> third,
            Pipeline<? super D, E> fourth,
            Pipeline<? super E, F> fifth) {
        return first(first).pipe(second).pipe(third).pipe(fourth).pipe(fifth);
    }

    /**
     * A pipeline of six parts, first to last; see {@link #of(Pipeline, Pipeline)}. Longer chains
     * join two of these with {@link #pipe}.
     *
     * @param first the first part; its first task is the producer
     * @param second the second part
     * @param third the third part
     * @param fourth the fourth part
     * @param fifth the fifth part
     * @param sixth the sixth part
     * @param <A> the input type
     * @param <B> the first part's output type
     * @param <C> the second part's output type
     * @param <D> the third part's output type
     * @param <E> the fourth part's output type
     * @param <F> the fifth part's output type
     * @param <G> the output type
     * @return the pipeline
     * @throws IllegalArgumentException as {@link #of(Pipeline, Pipeline)} does
     */
    public static <A, B, C, D, E, F, G> Pipeline<A, G> of(
            Pipeline<A, B> first,
            Pipeline<? super B, C> second,
            Pipeline<? super C, D> third,
            Pipeline<? super D, E> fourth,
            Pipeline<? super E, F> fifth,
            Pipeline<? super F, G> sixth) {
        return first(first).pipe(second).pipe(third).pipe(fourth).pipe(fifth).pipe(sixth);
    }

    private static <A, B> Pipeline<A, B> first(Pipeline<A, B> first) {
        if (first == null) {
            throw new IllegalArgumentException("Pipeline.of: the first part is null");
        }
        return first;
    }

    /**
     * Returns a new pipeline of this pipeline's tasks followed by {@code next}'s (pyper's
     * {@code p1 | p2}); this pipeline and {@code next} stay usable (rule 1.2). Where one of the two
     * is bound to an executor ({@link #on}), the result is bound to it; two different executors
     * are refused (rule 2.8).
     *
     * @param next the tasks to run on this pipeline's outputs
     * @param <R> the output type of {@code next}
     * @return the longer pipeline
     * @throws IllegalArgumentException if {@code next} is null (rule 1.3), or the two are bound to
     *     different executors (rule 2.8)
     */
    public <R> Pipeline<I, R> pipe(Pipeline<? super O, R> next) {
        if (next == null) {
            throw new IllegalArgumentException("pipe: the next pipeline is null (after " + this + ")");
        }
        if (executor != null && next.executor != null && executor != next.executor) {
            throw new IllegalArgumentException("pipe: " + this + " is bound to executor '" + executor.name() + "' and "
                    + next + " to another executor, '" + next.executor.name()
                    + "'; a run has one executor: bind the whole pipeline with on()");
        }
        List<TaskSpec> joined = new ArrayList<>(tasks);
        joined.addAll(next.tasks);
        return new Pipeline<>(joined, executor != null ? executor : next.executor);
    }

    /**
     * Returns this pipeline bound to an executor: its runs use {@code executor} rather than the
     * shared default one (rule 2.8), replacing any executor bound before. The caller keeps
     * ownership of the executor and closes it.
     *
     * @param executor the executor for every run of the returned pipeline
     * @return the bound pipeline
     * @throws IllegalArgumentException if {@code executor} is null
     */
    public Pipeline<I, O> on(PipelineExecutor executor) {
        if (executor == null) {
            throw new IllegalArgumentException("on: the executor is null (pipeline " + this + ")");
        }
        return new Pipeline<>(tasks, executor);
    }

    /**
     * Runs the pipeline on {@code input} and returns its outputs as a lazy stream (pyper's
     * {@code for x in p(input)}, rule 2.1).
     *
     * <p>The run starts now (rule 8.1), and the first output reaches the caller while the producer
     * is still running. Close the stream (try-with-resources) to end the run early: that cancels it
     * and waits until nothing of it runs (rule 4.4); a stream that is neither consumed to its end
     * nor closed keeps its run going. When a task fails, the next pull throws
     * {@link PipelineException} (rule 4.1).
     *
     * <pre>{@code
     * try (Stream<String> lines = pipeline.stream(path)) {
     *     lines.limit(10).forEach(System.out::println);
     * }
     * }</pre>
     *
     * @param input the producer's input
     * @return the outputs of the last task
     * @throws IllegalArgumentException if the producer has {@code workers > 1} or is a join
     *     (rule 1.4) or is a batch (rule 10.9), or the executor cannot run this pipeline, before any
     *     user function is called
     * @throws IllegalStateException if no executor is bound or on the class path (rule 2.8)
     */
    public Stream<O> stream(I input) {
        return start(input).outputs();
    }

    /**
     * Starts a run on {@code input} and returns its handle: the outputs as {@link #stream} gives
     * them, plus live {@linkplain PipelineRun#metrics() metrics} (rule 8.5).
     *
     * @param input the producer's input
     * @return the started run, which the caller closes
     * @throws IllegalArgumentException as {@link #stream} does
     * @throws IllegalStateException as {@link #stream} does
     */
    public PipelineRun<O> start(I input) {
        Plan plan = plan();
        PipelineExecutor chosen = executor != null ? executor : Executors.shared();
        Run<O> run = chosen.start(plan, input);
        return new PipelineRun<>(plan, run);
    }

    /**
     * Runs the pipeline on {@code input} and returns every output, in the order they arrived
     * (rules 2.1, 2.7). The run is closed when this returns or throws.
     *
     * @param input the producer's input
     * @return the outputs, an unmodifiable list that may contain nulls (rule 8.4)
     * @throws PipelineException if the run failed (rule 4.1)
     */
    public List<O> toList(I input) {
        try (Stream<O> outputs = stream(input)) {
            return outputs.toList();
        }
    }

    /**
     * Runs the pipeline on {@code input} and hands each output to {@code action} as it arrives,
     * on the calling thread (rule 2.1). The run is closed when this returns or throws; an
     * exception of {@code action} cancels it (rule 4.4) and passes unchanged.
     *
     * @param input the producer's input
     * @param action what to do with each output
     * @throws IllegalArgumentException if {@code action} is null
     * @throws PipelineException if the run failed (rule 4.1)
     */
    public void forEach(I input, Consumer<? super O> action) {
        if (action == null) {
            throw new IllegalArgumentException("forEach: the action is null (pipeline " + this + ")");
        }
        try (Stream<O> outputs = stream(input)) {
            outputs.forEach(action);
        }
    }

    /**
     * Returns a function that runs this pipeline on its argument, applies {@code consumer} to the
     * output stream and closes the run afterwards (pyper's {@code p > consumer}, rule 2.7).
     *
     * <p>The function is a plain {@link java.util.function.Function} and also a serializable task
     * function, which nests pipelines (rule 1.8): {@code task(inner.consume(Stream::toList))}
     * passes one list per input on, {@code branch(inner.consume(Stream::toList))} flattens them.
     *
     * @param consumer what to make of the outputs; a checked exception it throws reaches the
     *     caller as the cause of a {@link PipelineException}, an unchecked one unchanged
     * @param <R> the consumer's result type
     * @return a function from this pipeline's input to the consumer's result
     * @throws IllegalArgumentException if {@code consumer} is null
     */
    public <R> PipelineFunction<I, R> consume(ThrowingFunction<? super Stream<O>, ? extends R> consumer) {
        if (consumer == null) {
            throw new IllegalArgumentException("consume: the consumer is null (pipeline " + this + ")");
        }
        return new Consumption<>(this, consumer);
    }

    /**
     * The outputs of a run on {@code input} as a {@link Flow.Publisher} (pyper's
     * {@code async for x in p(input)}, rule 5.2). Each subscription starts a run of its own,
     * receives outputs as it requests them (nothing is produced beyond what the buffers allow),
     * ends its run when it cancels, and gets the run's {@link PipelineException} through
     * {@code onError}. Outputs are delivered on a virtual thread while there is demand.
     *
     * @param input the producer's input, for every subscription
     * @return a cold publisher
     */
    public Flow.Publisher<O> publisher(I input) {
        return new RunPublisher<>(this, input);
    }

    /**
     * Returns a function that runs this pipeline on its argument and hands the outputs, as a
     * publisher, to {@code consumer} (pyper's {@code consume} on an {@code AsyncPipeline}).
     * The consumer's subscription owns the run: it ends when the subscription completes, fails or
     * is cancelled. The function can be an {@link Task#async async} task's function.
     *
     * @param consumer what to make of the outputs, asynchronously
     * @param <R> the consumer's result type
     * @return a function from this pipeline's input to the consumer's stage
     * @throws IllegalArgumentException if {@code consumer} is null
     */
    @SuppressWarnings("InvalidParam") // {@code consume} names pyper's method, not the parameter
    public <R> PipelineFunction<I, CompletionStage<R>> consumeAsync(
            ThrowingFunction<? super Flow.Publisher<O>, ? extends CompletionStage<R>> consumer) {
        if (consumer == null) {
            throw new IllegalArgumentException("consumeAsync: the consumer is null (pipeline " + this + ")");
        }
        return new AsyncConsumption<>(this, consumer);
    }

    /** This pipeline as an executor sees it, checked for rules 1.4 and 10.9. */
    Plan plan() {
        TaskSpec producer = tasks.get(0);
        if (producer.workers() > 1) {
            throw new IllegalArgumentException(
                    "The first task of a pipeline (the producer) cannot have workers > 1: task '" + producer.name()
                            + "' has workers(" + producer.workers() + ") in " + this);
        }
        if (producer.kind().isJoin()) {
            throw new IllegalArgumentException("The first task of a pipeline (the producer) cannot be a join: task '"
                    + producer.name() + "' in " + this);
        }
        if (producer.kind() == TaskSpec.Kind.BATCH) {
            throw new IllegalArgumentException(
                    "The first task of a pipeline (the producer) cannot be a batch: it is called once,"
                            + " with the run's input, so there is nothing to group (rule 10.9): task '"
                            + producer.name() + "' in " + this);
        }
        return new Plan(tasks);
    }

    /**
     * Lists the tasks by name, in pyper's {@code repr} manner: {@code Pipeline[createData | runningTotal]}.
     */
    @Override
    public String toString() {
        return "Pipeline" + new Plan(tasks);
    }

    /** Two pipelines are equal when they have equal tasks and the same bound executor. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Pipeline<?, ?> other
                && tasks.equals(other.tasks)
                && Objects.equals(executor, other.executor);
    }

    @Override
    public int hashCode() {
        return tasks.hashCode();
    }

    /** Rethrows an unchecked throwable as it is and wraps a checked one, for {@link PipelineFunction#apply}. */
    private static RuntimeException unchecked(Exception e, Object pipeline) {
        if (e instanceof RuntimeException runtime) {
            return runtime;
        }
        return new PipelineException(null, "The consumer of " + pipeline + " threw " + e, e);
    }

    /**
     * The function that {@link #consumeAsync} returns: named after the pipeline for error messages.
     *
     * @param pipeline the pipeline that each call runs
     * @param consumer what the call makes of the run's publisher
     * @param <I> the pipeline's input type
     * @param <O> the pipeline's output type
     * @param <R> the consumer's result type
     */
    private record AsyncConsumption<I, O, R>(
            Pipeline<I, O> pipeline, ThrowingFunction<? super Flow.Publisher<O>, ? extends CompletionStage<R>> consumer)
            implements PipelineFunction<I, CompletionStage<R>> {

        @Override
        public CompletionStage<R> apply(I input) {
            try {
                return consumer.apply(pipeline.publisher(input));
            } catch (Exception e) {
                throw unchecked(e, pipeline);
            }
        }

        @Override
        public String toString() {
            return "consumeAsync" + new Plan(pipeline.tasks);
        }
    }

    /**
     * The function that {@link #consume} returns: named after the pipeline for error messages.
     *
     * @param pipeline the pipeline that each call runs
     * @param consumer what the call makes of the run's outputs
     * @param <I> the pipeline's input type
     * @param <O> the pipeline's output type
     * @param <R> the consumer's result type
     */
    private record Consumption<I, O, R>(
            Pipeline<I, O> pipeline, ThrowingFunction<? super Stream<O>, ? extends R> consumer)
            implements PipelineFunction<I, R> {

        @Override
        public R apply(I input) {
            try (Stream<O> outputs = pipeline.stream(input)) {
                return consumer.apply(outputs);
            } catch (Exception e) {
                throw unchecked(e, pipeline);
            }
        }

        @Override
        public String toString() {
            return "consume" + new Plan(pipeline.tasks);
        }
    }
}
