package dev.pyper.bench;

import static dev.pyper.Task.batch;
import static dev.pyper.Task.byKey;
import static dev.pyper.Task.generator;
import static dev.pyper.Task.ordered;
import static dev.pyper.Task.rate;
import static dev.pyper.Task.task;
import static dev.pyper.Task.throttle;
import static dev.pyper.Task.workers;

import dev.pyper.Emitter;
import dev.pyper.Option;
import dev.pyper.Pipeline;
import dev.pyper.PipelineExecutor;
import java.util.stream.Stream;

/**
 * A Pyper executor as a contender: every workload is an ordinary pipeline bound to the executor
 * with {@link Pipeline#on}, consumed by the caller through {@link Pipeline#stream}.
 *
 * <p>The functions are static lambdas (serializable, capturing nothing but serializable values),
 * so the same pipelines run under the process executor.
 */
final class PyperSubject implements Subject {

    /** The most worker JVMs per task that a case may ask of the process executor. */
    private static final int MAX_PROCESSES = 16;

    /** The slots of the Flink executor's default embedded cluster: the most workers of one task there. */
    private static final int FLINK_SLOTS = 64;

    private final PipelineExecutor executor;
    private final Pipeline<Integer, Integer> threeTasks;

    PyperSubject(PipelineExecutor executor) {
        this.executor = executor;
        Pipeline<Integer, Integer> threeTasks = Pipeline.of(task(x -> x), task(x -> x + 1), task(x -> x * 2));
        this.threeTasks = threeTasks.on(executor);
    }

    @Override
    public String name() {
        return executor.name();
    }

    @Override
    public String description() {
        return "Pyper, `" + executor.name() + "` executor ("
                + executor.getClass().getSimpleName() + ")";
    }

    @Override
    public boolean isPyper() {
        return true;
    }

    @Override
    public boolean virtualThreads() {
        return executor.name().equals("virtual");
    }

    /**
     * The process executor moves a few thousand items per second (every item crosses to a worker
     * JVM and back at each task), so it gets a hundredth of N.
     */
    @Override
    public int itemDivisor() {
        return isProcess() ? 100 : 1;
    }

    /**
     * A run of the process executor costs it worker JVMs, and one of the Flink executor a job that
     * its JobManager schedules and deploys (about 0.2 s): W5 gets 20 runs rather than 10,000.
     */
    @Override
    public int runDivisor() {
        return isProcess() || isFlink() ? 500 : 1;
    }

    @Override
    public String declines(String workload, int workers) {
        if (isFlink()) {
            return declinesOnFlink(workload, workers);
        }
        if (!isProcess()) {
            return null;
        }
        if (workload.equals("W4")) {
            return "its tasks run in worker JVMs of their own, which the child's peak RSS would leave out";
        }
        if (workers > MAX_PROCESSES) {
            return "would start " + workers + " worker JVMs, one per worker";
        }
        return null;
    }

    @Override
    public boolean crossesProcesses() {
        return isProcess();
    }

    private boolean isProcess() {
        return executor.name().equals("process");
    }

    private boolean isFlink() {
        return executor.name().equals("flink");
    }

    /** The embedded Flink cluster has a slot per worker (64 by default) and starts a JVM's worth of services. */
    private String declinesOnFlink(String workload, int workers) {
        if (workload.equals("W4")) {
            return "an embedded Flink cluster does not start in the child's -Xmx64m heap";
        }
        if (workers > FLINK_SLOTS) {
            return "a task of " + workers + " workers needs " + workers + " slots; the embedded cluster has "
                    + FLINK_SLOTS;
        }
        return null;
    }

    @Override
    public long handOff(int n, int bound) {
        return sum(handOffPipeline(bound).on(executor), n);
    }

    /** W1's pipeline: a producer of 0 … n−1, then x+1 and x*2, one worker each, every task with {@code throttle(bound)}. */
    static Pipeline<Integer, Integer> handOffPipeline(int bound) {
        return Pipeline.of(
                generator(PyperSubject::count, throttle(bound)),
                task(x -> x + 1, throttle(bound)),
                task(x -> x * 2, throttle(bound)));
    }

    @Override
    public long parallelMap(int n, int workers, boolean ordered, Work work) {
        Option[] options = ordered ? new Option[] {workers(workers), ordered()} : new Option[] {workers(workers)};
        Pipeline<Integer, Integer> pipeline =
                Pipeline.of(generator(PyperSubject::count), task(x -> work.apply(x), options));
        return sum(pipeline.on(executor), n);
    }

    @Override
    public long memory(int n, int bound) {
        Pipeline<Integer, Integer> pipeline =
                Pipeline.of(generator(PyperSubject::arrays, throttle(bound)), task(b -> b.length, throttle(bound)));
        return sum(pipeline.on(executor), n);
    }

    @Override
    public long oneRun(int item) {
        return sum(threeTasks, item);
    }

    @Override
    public void close() {
        executor.close();
    }

    /** Runs a pipeline that is bound to the executor and sums its outputs on the caller's thread. */
    @Override
    public long batched(int n, int size, java.time.Duration maxWait) {
        Pipeline<Integer, Integer> pipeline = Pipeline.of(
                generator(PyperSubject::count, throttle(QueueChainSubject.DEFAULT_CAPACITY)),
                batch(size, maxWait, throttle(QueueChainSubject.DEFAULT_CAPACITY)),
                task(PyperSubject::total));
        return sum(pipeline.on(executor), n);
    }

    @Override
    public long rateLimited(int n, double perSecond, int burst, int workers) {
        Pipeline<Integer, Integer> pipeline = Pipeline.of(
                generator(PyperSubject::count),
                task(x -> x, workers(workers), rate(perSecond).burst(burst)));
        return sum(pipeline.on(executor), n);
    }

    @Override
    public long keyed(int n, int keys, int workers) {
        Pipeline<Integer, Integer> pipeline = keys == 0
                ? Pipeline.of(generator(PyperSubject::count), task(x -> x + 1, workers(workers)))
                : Pipeline.of(
                        generator(PyperSubject::count),
                        task(x -> x + 1, workers(workers), byKey((Integer x) -> x % keys)));
        return sum(pipeline.on(executor), n);
    }

    private static int total(java.util.List<Integer> batch) {
        int total = 0;
        for (int x : batch) {
            total += x;
        }
        return total;
    }

    private static long sum(Pipeline<Integer, Integer> pipeline, int input) {
        try (Stream<Integer> outputs = pipeline.stream(input)) {
            return outputs.mapToLong(Integer::longValue).sum();
        }
    }

    private static void count(Integer n, Emitter<Integer> out) {
        for (int i = 0; i < n; i++) {
            out.emit(i);
        }
    }

    private static void arrays(Integer n, Emitter<byte[]> out) {
        for (int i = 0; i < n; i++) {
            out.emit(new byte[1024]);
        }
    }
}
