package dev.pyper;

import dev.pyper.function.ThrowingFunction;
import dev.pyper.spi.ExecutorRegistry;
import dev.pyper.spi.Plan;
import dev.pyper.spi.PipelineExecutor;
import dev.pyper.spi.Run;
import dev.pyper.spi.TaskSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.stream.Stream;

/**
 * A chain of tasks that turns one input into a lazy stream of outputs: pyper's {@code Pipeline}.
 *
 * <p>Pipelines are immutable values (rule 1.2). {@link #pipe} makes a longer one; {@link #stream}
 * runs it; {@link #consume} turns it into a function. A {@link Task} is a pipeline of one task.
 *
 * <pre>{@code
 * Pipeline<Integer, Integer> p = Task.branch((Integer n) -> List.of(n, n + 1, n + 2))
 *         .pipe(Task.task(Demo::slowFunc).workers(20))
 *         .pipe(Task.task(x -> x * 10));
 * try (Stream<Integer> out = p.stream(0)) {
 *     out.forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>A pipeline can be run any number of times, also concurrently, and runs share no state
 * (rule 1.2). It runs on the executor bound with {@link #on}, or else on the default executor
 * found with {@link java.util.ServiceLoader} (rule 2.8).
 *
 * @param <I> the input type of the first task
 * @param <O> the output type of the last task
 */
public sealed class Pipeline<I, O> implements Serializable permits Task {

    private static final long serialVersionUID = 1L;

    private final List<TaskSpec> tasks;
    /** Not serialized: a pipeline that crosses to another JVM runs on that JVM's default executor. */
    private final transient PipelineExecutor executor;

    Pipeline(List<TaskSpec> tasks, PipelineExecutor executor) {
        this.tasks = List.copyOf(tasks);
        this.executor = executor;
    }

    /**
     * Returns a new pipeline of this pipeline's tasks followed by {@code next}'s (pyper's
     * {@code p1 | p2}); this pipeline and {@code next} stay usable (rule 1.2). The result runs on
     * this pipeline's bound executor, or else on {@code next}'s.
     *
     * @param next the tasks to run on this pipeline's outputs
     * @param <R> the output type of {@code next}
     * @return the longer pipeline
     * @throws IllegalArgumentException if {@code next} is null (rule 1.3)
     */
    public <R> Pipeline<I, R> pipe(Pipeline<? super O, R> next) {
        if (next == null) {
            throw new IllegalArgumentException("pipe: the next pipeline is null (after " + this + ")");
        }
        List<TaskSpec> joined = new ArrayList<>(tasks);
        joined.addAll(next.tasks);
        return new Pipeline<>(joined, executor != null ? executor : next.executor);
    }

    /**
     * Returns this pipeline bound to an executor: its runs use {@code executor} rather than the
     * default one (rule 2.8). The caller keeps ownership of the executor and closes it.
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
     * <p>The run starts now, and the first output reaches the caller while the producer is still
     * running. Close the stream (try-with-resources) to end the run early: that cancels it and
     * waits until nothing of it runs (rule 4.4); a stream that is neither consumed to its end nor
     * closed keeps its run going. A stream consumed to its end has ended its run by itself. When a
     * task fails, the next pull throws {@link PipelineException} (rule 4.1).
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
     *     (rule 1.4), or the executor cannot run this pipeline, before any user function is called
     * @throws IllegalStateException if no executor is bound or on the class path (rule 2.8)
     */
    public Stream<O> stream(I input) {
        return start(input).outputs();
    }

    /**
     * Starts a run on {@code input} and returns its handle: the outputs as {@link #stream} gives
     * them, plus live {@linkplain PipelineRun#metrics() metrics}.
     *
     * @param input the producer's input
     * @return the started run, which the caller closes
     * @throws IllegalArgumentException as {@link #stream} does
     * @throws IllegalStateException as {@link #stream} does
     */
    public PipelineRun<O> start(I input) {
        Plan plan = plan();
        PipelineExecutor chosen = executor != null ? executor : ExecutorRegistry.defaultExecutor();
        Run<O> run = chosen.start(plan, input);
        return new PipelineRun<>(plan, run);
    }

    /**
     * Returns a function that runs this pipeline on its argument, applies {@code consumer} to the
     * output stream and closes the run afterwards (pyper's {@code p > consumer}, rule 2.7).
     *
     * <p>The function is serializable and usable as a task function, which nests pipelines
     * (rule 1.8): {@code Task.task(inner.consume(Stream::toList))} passes one list per input on,
     * {@code Task.branch(inner.consume(Stream::toList))} flattens them.
     *
     * @param consumer what to make of the outputs; its exceptions reach the caller unchanged
     * @param <R> the consumer's result type
     * @return a function from this pipeline's input to the consumer's result
     * @throws IllegalArgumentException if {@code consumer} is null
     */
    public <R> ThrowingFunction<I, R> consume(ThrowingFunction<? super Stream<O>, ? extends R> consumer) {
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
     * is cancelled.
     *
     * @param consumer what to make of the outputs, asynchronously
     * @param <R> the consumer's result type
     * @return a function from this pipeline's input to the consumer's stage
     * @throws IllegalArgumentException if {@code consumer} is null
     */
    public <R> ThrowingFunction<I, CompletionStage<R>> consumeAsync(
            ThrowingFunction<? super Flow.Publisher<O>, ? extends CompletionStage<R>> consumer) {
        if (consumer == null) {
            throw new IllegalArgumentException("consumeAsync: the consumer is null (pipeline " + this + ")");
        }
        return new AsyncConsumption<>(this, consumer);
    }

    /**
     * The tasks of this pipeline, first to last, as plain data for executors.
     *
     * @return an immutable list of at least one task
     */
    public List<TaskSpec> tasks() {
        return tasks;
    }

    /**
     * This pipeline as an executor sees it, checked for rule 1.4.
     *
     * @return the plan
     * @throws IllegalArgumentException if the producer has {@code workers > 1} or is a join
     */
    public Plan plan() {
        TaskSpec producer = tasks.get(0);
        if (producer.workers() > 1) {
            throw new IllegalArgumentException("The first task of a pipeline (the producer) cannot have workers > 1: task '"
                    + producer.name() + "' has workers(" + producer.workers() + ") in " + this);
        }
        if (producer.kind().isJoin()) {
            throw new IllegalArgumentException("The first task of a pipeline (the producer) cannot be a join: task '"
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
        return o instanceof Pipeline<?, ?> other && tasks.equals(other.tasks) && Objects.equals(executor, other.executor);
    }

    @Override
    public int hashCode() {
        return tasks.hashCode();
    }

    /** The function that {@link #consumeAsync} returns: named after the pipeline for error messages. */
    private record AsyncConsumption<I, O, R>(Pipeline<I, O> pipeline,
            ThrowingFunction<? super Flow.Publisher<O>, ? extends CompletionStage<R>> consumer)
            implements ThrowingFunction<I, CompletionStage<R>> {

        @Override
        public CompletionStage<R> apply(I input) throws Exception {
            return consumer.apply(pipeline.publisher(input));
        }

        @Override
        public String toString() {
            return "consumeAsync" + new Plan(pipeline.tasks);
        }
    }

    /** The function that {@link #consume} returns: named after the pipeline for error messages. */
    private record Consumption<I, O, R>(Pipeline<I, O> pipeline, ThrowingFunction<? super Stream<O>, ? extends R> consumer)
            implements ThrowingFunction<I, R> {

        @Override
        public R apply(I input) throws Exception {
            try (Stream<O> outputs = pipeline.stream(input)) {
                return consumer.apply(outputs);
            }
        }

        @Override
        public String toString() {
            return "consume" + new Plan(pipeline.tasks);
        }
    }
}
