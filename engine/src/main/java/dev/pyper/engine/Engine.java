package dev.pyper.engine;

import dev.pyper.spi.ContextPropagator;
import dev.pyper.spi.Plan;
import dev.pyper.spi.Run;
import dev.pyper.spi.TaskSpec;
import dev.pyper.spi.Uninterruptibly;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machinery that runs a {@link Plan} inside this JVM, written once for every in-JVM executor:
 * stages joined by channels, workers, end-of-stream, throttle, ordering, errors and cancellation.
 * The context of the thread that starts a run is restored around each invocation ({@link RunContext},
 * rule 8.8).
 * Executors differ only in how a worker runs ({@link WorkerLauncher}) and, for processes, in how
 * an invocation runs ({@link InvokerFactory}).
 *
 * <h2>Shape of a run</h2>
 * <pre>
 *   seed ──▶ [stage 0: producer] ──▶ channel 1 ──▶ [stage 1: w workers] ──▶ … ──▶ outlet ──▶ caller
 * </pre>
 * The seed channel holds the run's input and has already ended, so the producer is an ordinary
 * stage that gets one input. Channel k+1 has stage k's throttle as capacity, stage k's workers as
 * producers and stage k+1's workers (or the caller) as consumers. Every stage gets all of its
 * workers, each on a thread of its own, so no combination of workers and throttles can deadlock
 * for want of a thread (rule 2.9): at once for the producer and for joins; every other task's
 * workers one by one, whenever an input would wait with none of them idle, each starting with
 * the oldest waiting input in hand ({@link Channel#consumeLazily}). A fan-out over thousands of workers then
 * starts each worker on its work instead of having thousands wait on one channel, and a short
 * run starts each thread when its first input is there, never to park it first.
 *
 * <h2>Items</h2>
 * A worker takes inputs from its channel, calls the function and puts every output into the next
 * channel as soon as it is emitted (rules 2.1, 2.3): a {@link WorkerStage} has one thread per
 * worker; an {@link AsyncStage} has two threads whatever its workers, because its stages complete
 * elsewhere (rule 5.1). With one worker per stage the channels keep
 * FIFO order end to end (rule 3.1); {@code ordered()} stages restore it with a
 * {@link ReorderWindow} (rule 3.3). A batch task is a {@link BatchingStage}: one thread that
 * fills lists of inputs and puts each list as one item (rule 10.5).
 *
 * <h2>End of stream</h2>
 * A worker that finds its input ended calls {@link Channel#producerDone()} on its output; the
 * last worker of a stage thereby ends the next channel. The caller sees the end when the outlet
 * has ended, then waits until every worker has ended (rule 4.5).
 *
 * <h2>Errors and cancellation</h2>
 * The first exception or {@code Error} of any invocation is recorded by {@link RunHandle#fail},
 * which cancels every channel (waking every blocked put and take) and interrupts every worker;
 * no new invocation starts (rule 4.2). The caller's next pull waits for all workers to end, then
 * throws a {@code PipelineException} with that cause and later failures as suppressed (rules 4.1,
 * 4.3). Closing the stream, interrupting the caller, or {@link #close() closing the executor}
 * cancel the same way (rule 4.4).
 *
 * <h2>Who owns what</h2>
 * Each channel and reorder window guards its own state with its own lock; the run guards its
 * worker registry and failure with its lock, and takes channel locks inside it (never the other
 * way round). A worker owns its batch and, for an ordered task, its output buffer. The caller's
 * thread owns the outlet's batch.
 */
public final class Engine {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final WorkerLauncher launcher;
    private final InvokerFactory everyTask;

    /** Where {@code multiprocess} tasks run: opened on the first multiprocess run, ended by {@link #closeProcesses()}. */
    private final OnDemandProcesses processes = new OnDemandProcesses();

    private final Set<RunHandle<?>> running = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition noneRunning = lock.newCondition();
    private volatile boolean closed;

    /**
     * An engine whose tasks run in this JVM, and whose {@code multiprocess} tasks run through the
     * {@link MultiprocessSupport} found with {@link java.util.ServiceLoader}.
     *
     * @param launcher how workers run
     */
    public Engine(WorkerLauncher launcher) {
        this(launcher, null);
    }

    /**
     * An engine whose workers call every task's function through {@code everyTask}: the process
     * executor's (rule 6.1).
     *
     * @param launcher how workers run
     * @param everyTask how every invocation runs; {@code null} to run tasks in this JVM
     */
    public Engine(WorkerLauncher launcher, InvokerFactory everyTask) {
        this.launcher = launcher;
        this.everyTask = everyTask;
    }

    /**
     * Starts a run of {@code plan} on {@code input}: launches every worker of every stage.
     *
     * @param plan the checked plan
     * @param input the producer's input
     * @param <O> the output type
     * @return the caller's handle of the run
     * @throws IllegalArgumentException if a task is {@code multiprocess} and no process support
     *     is available, before any user function is called
     * @throws IllegalStateException if the engine is closed
     */
    public <O> Run<O> start(Plan plan, Object input) {
        if (closed) {
            throw new IllegalStateException("The executor is closed; cannot run " + plan);
        }
        List<TaskSpec> tasks = plan.tasks();
        ContextPropagator.Captured context = ContextPropagator.installed().capture(); // the caller's (rule 8.8)
        if (everyTask == null) {
            processes.openFor(plan); // refuses the plan if there is no process support (rule 1.5)
        }
        RunHandle<O> run = new RunHandle<>(plan, this);
        List<Stage> stages = new ArrayList<>(tasks.size());
        Channel in = Channel.ofOne(input, Stage.consumers(tasks.get(0)));
        Channel upstreamInput = null;
        int inCapacity = 0;
        for (int i = 0; i < tasks.size(); i++) {
            TaskSpec task = tasks.get(i);
            int consumers = i + 1 < tasks.size() ? Stage.consumers(tasks.get(i + 1)) : 1;
            Channel out = new Channel(Stage.capacity(task), Stage.producers(task), consumers);
            run.addChannel(in);
            TaskSpec restoring = RunContext.around(task, context);
            Stage stage;
            if (task.kind() == TaskSpec.Kind.BATCH) {
                stage = new BatchingStage(task, run, in, out, upstreamInput); // no function: no context to restore
            } else if (task.kind().isAsync()) {
                stage = new AsyncStage(restoring, run, in, out, upstreamInput);
            } else {
                stage = new WorkerStage(
                        restoring,
                        run,
                        in,
                        out,
                        upstreamInput,
                        RunContext.around(invokersFor(task), context),
                        inCapacity);
            }
            stages.add(stage);
            run.addStage(stage.metrics());
            upstreamInput = in;
            in = out;
            inCapacity = Stage.capacity(task);
        }
        run.addChannel(in);
        run.setOutlet(in, Stage.batchFor(inCapacity));
        run.expect();
        running.add(run);
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "Starting a run of {} with workers {}",
                    plan,
                    tasks.stream().map(t -> t.name() + "=" + t.workers()).toList());
        }
        for (Stage stage : stages) {
            if (stage.startsLazily()) {
                stage.startLazily(launcher);
            }
        }
        if (closed) {
            run.cancelFromOutside("the executor was closed");
        }
        launchAll(stages, run);
        return run;
    }

    private void launchAll(List<Stage> stages, RunHandle<?> run) {
        for (Stage stage : stages) {
            int threads = stage.startsLazily() ? 0 : stage.threads();
            for (int n = 1; n <= threads; n++) {
                int worker = n;
                try {
                    launcher.launch(Stage.threadName(stage.task(), worker), () -> stage.work(worker));
                } catch (RuntimeException | Error e) {
                    // No thread to be had: fail the run and let the unlaunched workers' ends be counted here.
                    run.fail(stage.task().name(), null, e);
                    stage.notLaunched();
                }
            }
        }
    }

    private InvokerFactory invokersFor(TaskSpec task) {
        if (everyTask != null) {
            return everyTask;
        }
        return task.multiprocess() ? processes : LocalInvoker.FACTORY;
    }

    /**
     * The rules that executors built on this engine cannot meet here (rule 7.2): section 6 when
     * no process support is on the class path.
     *
     * @return rule number to reason
     */
    public Map<String, String> unsupportedRules() {
        if (everyTask == null && !MultiprocessSupport.available()) {
            return Map.of("6", "multiprocess tasks need " + MultiprocessSupport.ARTIFACT + " on the class path");
        }
        return Map.of();
    }

    /** Called by a run when its last worker has ended. */
    void ended(RunHandle<?> run) {
        running.remove(run);
        if (running.isEmpty()) {
            lock.lock();
            try {
                noneRunning.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Waits until no run of this engine has a worker left, however long that takes; keeps the
     * caller's interrupt for afterwards. Used by executors' {@code close()} after {@link #close()}.
     */
    @SuppressWarnings("WaitNotInLoop") // the wait is in Uninterruptibly.until's loop, which rechecks
    public void awaitRunsEnded() {
        lock.lock();
        try {
            Uninterruptibly.until(
                    () -> running.isEmpty() || noneRunning.await(100, TimeUnit.MILLISECONDS) && running.isEmpty());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Cancels every run still going and refuses new ones. Does not wait: each run's caller
     * waits for its own workers when it next pulls or closes.
     */
    public void close() {
        closed = true;
        for (RunHandle<?> run : running) {
            run.cancelFromOutside("the executor was closed");
        }
    }

    /**
     * Ends the worker processes of {@code multiprocess} tasks, if any were started. Call after
     * {@link #awaitRunsEnded()}.
     */
    public void closeProcesses() {
        processes.close();
    }

    /**
     * The number of runs that still have workers.
     *
     * @return how many runs are going
     */
    public int runningCount() {
        return running.size();
    }
}
