package dev.pyper.tck.reference;

import dev.pyper.Emitter;
import dev.pyper.PipelineException;
import dev.pyper.RunMetrics;
import dev.pyper.TaskMetrics;
import dev.pyper.spi.Abbreviation;
import dev.pyper.spi.Batching;
import dev.pyper.spi.CallCounter;
import dev.pyper.spi.Plan;
import dev.pyper.spi.PolicyClock;
import dev.pyper.spi.Run;
import dev.pyper.spi.TaskSpec;
import dev.pyper.spi.TimeHistogram;
import dev.pyper.spi.TokenBucket;
import dev.pyper.tck.Tck;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the {@link ReferenceExecutor}: a stage per task, each with its own platform threads
 * (one per worker) and its output {@link Buffer}; the caller takes from the last buffer.
 *
 * <p>How it flows: the producer is called once with the run's input; every other task's workers
 * take from the buffer before them until it ends, and the last worker of a task to finish ends the
 * task's own buffer. A join's workers share one stream over the buffer before them. An
 * {@code ordered()} task with several workers numbers its inputs as it takes them, holds the
 * outputs of every input but the oldest one in flight, and takes no input beyond the window of
 * {@code workers} inputs. The first failure cancels the run: every buffer throws (the last one
 * first), every worker is interrupted, and the caller's next pull waits for every worker before it
 * throws the failure, later failures attached as suppressed (not what the cancellation itself made
 * a worker throw). {@code close()} cancels the same way and waits too.
 *
 * @param <O> the output type of the last task
 */
final class ReferenceRun<O> implements Run<O> {

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceRun.class);
    /** How long a worker may ignore cancellation before the wait for it is logged (rule 8.6). */
    private static final long IGNORED_CANCELLATION_MILLIS = 10_000;

    /** Why a run was cancelled. */
    enum Cause {
        /** An invocation threw. */
        FAILED,
        /** The caller closed it. */
        CLOSED,
        /** The caller was interrupted while it waited for an output. */
        CALLER_INTERRUPTED,
        /** The executor was closed. */
        EXECUTOR_CLOSED
    }

    /**
     * What the seams of {@link ReferenceExecutor} see of a worker.
     *
     * @param task its task
     * @param producer whether it is the producer
     * @param last whether its task is the last one
     */
    record WorkerInfo(TaskSpec task, boolean producer, boolean last) {}

    private record Failure(TaskSpec task, String input, Throwable error) {}

    private final ReferenceExecutor executor;
    private final Plan plan;
    private final Object input;
    private final List<Stage> stages = new ArrayList<>();
    private final List<Worker> workers = new ArrayList<>();
    private final Buffer output;
    private final long started = System.nanoTime();
    /** Guards {@link #cause}, {@link #failing}, {@link #failures}, {@link #reported}, {@link #closed}. */
    private final Object state = new Object();

    private volatile Cause cause;
    private TaskSpec failing;
    private final List<Failure> failures = new ArrayList<>();
    private boolean ended;
    private boolean closed;
    private PipelineException reported;
    private final AtomicInteger live = new AtomicInteger();
    /** For {@code Mutants.EmitIgnoresCancellation}: when its silent emits stop; guarded by {@link #state}. */
    private long valveUntil;

    ReferenceRun(ReferenceExecutor executor, Plan plan, Object input) {
        this.executor = executor;
        this.plan = plan;
        this.input = input;
        List<TaskSpec> tasks = plan.tasks();
        Buffer before = null;
        for (int i = 0; i < tasks.size(); i++) {
            TaskSpec task = tasks.get(i);
            int threads = i == 0 ? 1 : executor.threads(task);
            Buffer out = new Buffer(executor.capacity(task), threads, executor.endWakesEveryConsumer());
            Stage stage = new Stage(i, task, before, out, threads, i == tasks.size() - 1);
            stages.add(stage);
            for (int w = 0; w < threads; w++) {
                Worker worker = new Worker(stage, w);
                stage.workers.add(worker);
                workers.add(worker);
            }
            before = stage.out;
        }
        output = before;
    }

    /** Starts every worker, the last task's first, so that the consumers are there when the producer begins (rule 8.1). */
    void begin() {
        live.set(workers.size());
        LOG.debug("run of {} starts with {} workers", plan, workers.size());
        for (int i = workers.size() - 1; i >= 0; i--) {
            workers.get(i).thread.start();
        }
    }

    // ---- the caller's side ----

    @Override
    public boolean next(Consumer<? super O> action) {
        synchronized (state) {
            if (reported != null) {
                throw reported;
            }
            if (ended) {
                return false;
            }
        }
        Object item;
        try {
            item = output.take();
        } catch (InterruptedException e) {
            cancel(Cause.CALLER_INTERRUPTED, null);
            awaitWorkers(Cause.CALLER_INTERRUPTED);
            if (executor.keepsTheCallersInterruptFlag()) {
                Thread.currentThread().interrupt();
            }
            throw report(new PipelineException(
                    null,
                    "the caller was interrupted while it waited for an output of " + plan + "; the run is cancelled",
                    e));
        } catch (Stopped stopped) {
            awaitWorkers(cause);
            throw report(failure());
        }
        if (item == Buffer.END) {
            Cause why;
            synchronized (state) {
                why = cause;
            }
            if (why != null) {
                // a worker that stopped for the cancellation ended its buffer before the buffer was cancelled
                awaitWorkers(why);
                throw report(failure());
            }
            awaitWorkers(null);
            PipelineException failure = failuresSoFar();
            if (failure != null) {
                throw report(failure);
            }
            synchronized (state) {
                ended = true;
            }
            LOG.debug("run of {} ended: {}", plan, metrics());
            executor.forget(this);
            return false;
        }
        @SuppressWarnings("unchecked")
        O out = (O) Buffer.unwrap(item);
        action.accept(out);
        return true;
    }

    @Override
    public void close() {
        boolean early;
        synchronized (state) {
            if (closed) {
                return;
            }
            closed = true;
            early = !ended && reported == null && cause == null;
        }
        if (early) {
            cancel(Cause.CLOSED, null);
        }
        awaitWorkers(early ? Cause.CLOSED : cause);
        executor.forget(this);
        if (early) {
            executor.closedEarly(plan);
        }
    }

    private PipelineException report(PipelineException e) {
        synchronized (state) {
            if (reported == null) {
                reported = e;
            }
            executor.forget(this);
            return reported;
        }
    }

    /** The exception for the cause the run was cancelled for. */
    private PipelineException failure() {
        PipelineException failure = failuresSoFar();
        if (failure != null) {
            return failure;
        }
        return switch (cause) {
            case EXECUTOR_CLOSED ->
                new PipelineException(null, "the executor was closed: the run of " + plan + " is ended", null);
            case CALLER_INTERRUPTED ->
                new PipelineException(null, "the run of " + plan + " was cancelled by an interrupt", null);
            default -> new PipelineException(null, "the run of " + plan + " was closed", null);
        };
    }

    private PipelineException failuresSoFar() {
        synchronized (state) {
            if (failures.isEmpty()) {
                return null;
            }
            int first = executor.causeIndex(failures.size());
            Failure f = failures.get(first);
            PipelineException e = new PipelineException(
                    f.task().name(),
                    "task '" + f.task().name() + "' failed on input " + f.input() + ": " + f.error(),
                    f.error());
            for (int i = 0; i < failures.size(); i++) {
                if (i != first) {
                    e.addSuppressed(failures.get(i).error());
                }
            }
            return e;
        }
    }

    // ---- failure and cancellation ----

    /** Records a failure of an invocation; the first one cancels the run (rules 4.1 to 4.3). */
    void fail(Stage stage, Object failedInput, boolean showInput, Throwable thrown) {
        Throwable error = unwrap(thrown);
        boolean first;
        synchronized (state) {
            if (cause != null && cause != Cause.FAILED) {
                return; // closed or interrupted: what the workers throw while they stop is nobody's failure
            }
            if (cause == Cause.FAILED && causedByEnding(error)) {
                return; // the echo of our own interrupt or cancellation, also from a nested run of the task
            }
            first = cause == null;
            if (first) {
                cause = Cause.FAILED;
                failing = stage.task;
            }
            failures.add(new Failure(
                    stage.task, showInput ? Abbreviation.of(failedInput) : "(the join's input stream)", error));
        }
        if (first) {
            LOG.warn(
                    "task '{}' failed on input {}: {}",
                    stage.task.name(),
                    showInput ? Abbreviation.of(failedInput) : "(stream)",
                    error.toString());
            LOG.debug("the failure of task '{}'", stage.task.name(), error);
            stopEverything(Cause.FAILED, stage.task);
        }
    }

    /**
     * Whether a failure is what the run's own ending made of an invocation: an interrupt or a
     * cancellation anywhere in its cause chain, such as a nested run (a pipeline run inside the
     * task) that the interrupt cancelled and that threw a {@code PipelineException} with the
     * {@code InterruptedException} as its cause. Such a failure is no later failure (rule 4.3).
     */
    private static boolean causedByEnding(Throwable t) {
        int depth = 0;
        for (Throwable c = t; c != null && depth++ < 32; c = c.getCause()) {
            if (c instanceof InterruptedException
                    || c instanceof ClosedByInterruptException
                    || c instanceof CancellationException) {
                return true;
            }
        }
        return false;
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Cancels the run if it is still going: every buffer throws, the workers are interrupted.
     *
     * @param why the cause
     * @param failingTask the task that failed, for {@code FAILED}
     */
    void cancel(Cause why, TaskSpec failingTask) {
        synchronized (state) {
            if (cause != null) {
                return; // already cancelled
            }
            cause = why;
            failing = failingTask;
        }
        stopEverything(why, failingTask);
    }

    /**
     * Cancels the buffers from the last to the first, then interrupts the workers. In that order, a
     * worker that stops because its input buffer is cancelled ends its own buffer only once that
     * one is cancelled too, so that no task after it sees a normal end of a stream cut short: a
     * join would pass on what it made of part of its input, and the caller could take that before
     * the failure.
     */
    private void stopEverything(Cause why, TaskSpec failingTask) {
        for (Stage stage : stages.reversed()) {
            stage.out.cancel();
            if (stage.window != null) {
                stage.window.wake();
            }
            if (stage.keys != null) {
                stage.keys.wake();
            }
        }
        for (Worker worker : workers) {
            if (worker.thread != Thread.currentThread() && executor.interrupts(worker.info, why, failingTask)) {
                worker.thread.interrupt();
            }
        }
    }

    boolean cancelled() {
        return cause != null;
    }

    /** Waits for the workers that the caller waits for; see {@link ReferenceExecutor#awaits}. */
    private void awaitWorkers(Cause why) {
        TaskSpec failingTask;
        synchronized (state) {
            failingTask = failing;
        }
        List<Thread> threads = new ArrayList<>();
        for (Worker worker : workers) {
            if (executor.awaits(worker.info, why, failingTask)) {
                threads.add(worker.thread);
            }
        }
        join(threads);
    }

    /** Waits for every worker, whatever the seams say: for the executor's close(). */
    void awaitEveryWorker() {
        join(workers.stream().map(w -> w.thread).toList());
    }

    private void join(List<Thread> threads) {
        boolean interrupted = false;
        long logAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IGNORED_CANCELLATION_MILLIS);
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                try {
                    thread.join(IGNORED_CANCELLATION_MILLIS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                if (thread.isAlive() && System.nanoTime() - logAt > 0) {
                    LOG.warn(
                            "worker {} of the run of {} ignores cancellation: still running after {} ms",
                            thread.getName(),
                            plan,
                            IGNORED_CANCELLATION_MILLIS);
                    logAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IGNORED_CANCELLATION_MILLIS);
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- metrics (rule 8.5) ----

    @Override
    public RunMetrics metrics() {
        List<TaskMetrics> tasks = new ArrayList<>();
        for (Stage stage : stages) {
            CallCounter.Totals totals = CallCounter.Totals.NONE;
            for (Worker worker : stage.workers) {
                totals = totals.plus(worker.counter);
            }
            tasks.add(new TaskMetrics(
                    stage.task.name(),
                    stage.task.workers(),
                    stage.itemsIn.get(),
                    stage.itemsOut.get(),
                    totals.failed(),
                    totals.busy(),
                    stage.out.size(),
                    totals.invocations(),
                    totals.meanTime(),
                    Duration.ofNanos(stage.times.percentile(0.99)),
                    totals.retries(),
                    totals.timeouts(),
                    totals.skipped(),
                    totals.deadLettered(),
                    totals.rateDelayed(),
                    Duration.ofNanos(totals.rateWaitNanos()),
                    totals.keyDelayed(),
                    Duration.ofNanos(totals.keyWaitNanos())));
        }
        return new RunMetrics(tasks, Duration.ofNanos(System.nanoTime() - started), live.get() == 0);
    }

    // ---- the workers ----

    /** Passes one output of a task on to its buffer, counting it (rules 2.2, 8.4, 8.5). */
    void emit(Stage stage, Object value) {
        if (value == null && !executor.passesNulls()) {
            return;
        }
        int copies =
                stage.next != null && stage.next.task.kind().isJoin() ? executor.copiesForJoin(stage.next.task) : 1;
        boolean countAfter = executor.countsOutputsAfterHandOff();
        if (!countAfter) {
            stage.itemsOut.incrementAndGet();
        }
        try {
            for (int i = 0; i < copies; i++) {
                stage.out.put(value);
            }
        } catch (Stopped stopped) {
            if (!executor.emitThrowsAfterCancellation() && cancelled() && withinValve()) {
                return; // the mutant's silent emit: the output is dropped, and the generator goes on
            }
            throw stopped;
        }
        if (countAfter) {
            stage.itemsOut.incrementAndGet();
        }
    }

    /**
     * A mutant that swallows the stop signal does so for the kit's quiet period at most (long enough
     * for a generator to emit thousands of times), so that the run and the test JVM recover.
     */
    private boolean withinValve() {
        synchronized (state) {
            if (valveUntil == 0) {
                valveUntil = System.nanoTime() + Tck.quietPeriod().toNanos();
            }
            return System.nanoTime() - valveUntil < 0;
        }
    }

    /** One task of the run. */
    final class Stage {
        final int index;
        final TaskSpec task;
        final Buffer in;
        final Buffer out;
        final boolean last;
        final List<Worker> workers = new ArrayList<>();
        final TimeHistogram times = new TimeHistogram();
        final AtomicLong itemsIn = new AtomicLong();
        final AtomicLong itemsOut = new AtomicLong();
        final AtomicInteger running;
        final Window window;
        /** A keyed task's turns (rules 10.10, 10.11); null for a task without {@code byKey}. */
        final Keys keys;

        final ReentrantLock takeLock = new ReentrantLock();
        /** The task's rate limit in this run, shared by its workers (rule 10.1). */
        final TokenBucket tokens;

        Stage next;

        Stage(int index, TaskSpec task, Buffer in, Buffer out, int threads, boolean last) {
            this.index = index;
            this.task = task;
            this.in = in;
            this.out = out;
            this.last = last;
            this.running = new AtomicInteger(threads);
            this.tokens = executor.tokens(task);
            this.window =
                    index > 0 && task.ordered() && threads > 1 && !task.kind().isJoin()
                            ? new Window(this, executor.reorderWindow(task))
                            : null;
            this.keys = index > 0 && task.keyed() && executor.keepsKeysApart(task) ? new Keys(this, 2 * threads) : null;
            if (index > 0) {
                stages.get(index - 1).next = this;
            }
        }
    }

    /** One worker: a platform thread of its own. */
    final class Worker implements Runnable {
        final Stage stage;
        final Thread thread;
        final CallCounter counter;
        final WorkerInfo info;

        Worker(Stage stage, int number) {
            this.stage = stage;
            this.counter = new CallCounter(stage.times);
            this.info = new WorkerInfo(stage.task, stage.index == 0, stage.last);
            this.thread = Thread.ofPlatform()
                    .daemon(true)
                    .name("pyper-ref-" + stage.task.name() + "-" + number)
                    .unstarted(this);
        }

        @Override
        public void run() {
            try {
                if (stage.index == 0) {
                    for (Object producerInput : executor.producerInputs(input)) {
                        if (!invokeOne(producerInput, true, value -> emit(stage, value))) {
                            break;
                        }
                    }
                } else if (stage.task.kind() == TaskSpec.Kind.BATCH) {
                    takeBatches();
                } else if (stage.task.kind().isJoin()) {
                    invokeOne(StreamSupport.stream(new JoinInput(this), false), false, value -> emit(stage, value));
                } else if (stage.keys != null) {
                    takeByKey();
                } else if (stage.window != null) {
                    takeInOrder();
                } else {
                    takeEach();
                }
            } catch (Stopped stopped) {
                // the run is cancelled, or nobody reads our outputs: stop quietly
            } catch (Throwable t) {
                fail(stage, "(between invocations)", true, t);
            } finally {
                stage.out.producerDone();
                if (stage.running.decrementAndGet() == 0
                        && stage.in != null
                        && executor.abandonsTheInputOfAFinishedTask()) {
                    stage.in.abandon(); // rule 8.3: nobody reads it any more; the tasks before stop at their next
                    // output
                    Window before = stages.get(stage.index - 1).window;
                    if (before != null) {
                        before.wake(); // and an ordered task before waiting for room in its window stops too
                    }
                }
                live.decrementAndGet();
            }
        }

        private Object take() {
            try {
                return stage.in.take();
            } catch (InterruptedException e) {
                throw Stopped.interrupted();
            }
        }

        /**
         * A batch task (rules 10.5 to 10.8): fills a list and passes it on when full, when the
         * {@code maxWait} timer set on the JVM's {@code PolicyClock} at its first input has fired,
         * or at the end; never empty.
         */
        private void takeBatches() {
            Batching batching = Batching.of(stage.task);
            List<Object> batch = batching.open();
            java.util.concurrent.atomic.AtomicBoolean due = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.Future<?> timer = null;
            try {
                while (true) {
                    Object item;
                    try {
                        item = stage.in.takeUntil(due::get);
                    } catch (InterruptedException e) {
                        throw Stopped.interrupted();
                    }
                    if (item == Buffer.END) {
                        break;
                    }
                    if (item != Buffer.DUE) {
                        stage.itemsIn.incrementAndGet();
                        batch.add(Buffer.unwrap(item));
                        boolean restarts = executor.batchTimerRestartsOnEachInput(batching);
                        if ((batch.size() == 1 || restarts)
                                && batch.size() < batching.size()
                                && executor.batchMaxWaitNanos(batching) != Long.MAX_VALUE) {
                            if (timer != null) {
                                timer.cancel(false);
                            }
                            java.util.concurrent.atomic.AtomicBoolean mine = due;
                            Buffer in = stage.in;
                            timer = PolicyClock.current()
                                    .schedule(
                                            () -> {
                                                mine.set(true);
                                                in.wake();
                                            },
                                            executor.batchMaxWaitNanos(batching));
                        }
                    }
                    if (batch.size() == batching.size() || due.get()) {
                        if (timer != null) {
                            timer.cancel(false);
                            timer = null;
                        }
                        due = new java.util.concurrent.atomic.AtomicBoolean();
                        emit(stage, batching.seal(batch));
                        batch = batching.open();
                    }
                }
                if (!batch.isEmpty()) {
                    emit(stage, batching.seal(batch));
                }
            } finally {
                if (timer != null) {
                    timer.cancel(false);
                }
            }
        }

        private void takeEach() {
            while (true) {
                Object item = take();
                if (item == Buffer.END) {
                    return;
                }
                if (!invokeOne(Buffer.unwrap(item), true, value -> emit(stage, value))) {
                    return;
                }
            }
        }

        private void takeInOrder() {
            Window window = stage.window;
            while (true) {
                long seq;
                Object item;
                try {
                    stage.takeLock.lockInterruptibly();
                } catch (InterruptedException e) {
                    throw Stopped.interrupted();
                }
                try {
                    window.awaitRoom();
                    item = take();
                    if (item == Buffer.END) {
                        window.inputEnded();
                        return;
                    }
                    seq = window.open();
                } finally {
                    stage.takeLock.unlock();
                }
                if (!invokeOne(Buffer.unwrap(item), true, value -> window.emit(seq, value))) {
                    return;
                }
                window.finish(seq);
            }
        }

        /**
         * A keyed task (rules 10.10, 10.11): under the take lock, a place among the {@code 2 ×
         * workers} inputs the task may hold, the input, its window slot if ordered, its key and the
         * key's claim, so that a key's inputs are claimed in the order they were taken; then, if
         * the key was free, the input and every input that waits for the key, one after another.
         */
        private void takeByKey() {
            Keys keys = stage.keys;
            Window window = stage.window;
            while (true) {
                Held first;
                Object key;
                try {
                    stage.takeLock.lockInterruptibly();
                } catch (InterruptedException e) {
                    throw Stopped.interrupted();
                }
                try {
                    keys.awaitPlace();
                    if (window != null) {
                        window.awaitRoom();
                    }
                    Object item = take();
                    if (item == Buffer.END) {
                        if (window != null) {
                            window.inputEnded();
                        }
                        keys.done();
                        return;
                    }
                    Object value = Buffer.unwrap(item);
                    first = new Held(value, window == null ? -1 : window.open(), 0);
                    try {
                        key = stage.task.keyOf(value);
                    } catch (Throwable t) {
                        stage.itemsIn.incrementAndGet();
                        fail(stage, value, true, t);
                        return;
                    }
                    if (!keys.claim(key, first, counter)) {
                        continue;
                    }
                } finally {
                    stage.takeLock.unlock();
                }
                for (Held turn = first; turn != null; turn = keys.next(key, counter)) {
                    Held now = turn;
                    Emitter<Object> out =
                            window == null ? value -> emit(stage, value) : value -> window.emit(now.seq(), value);
                    if (!invokeOne(now.value(), true, out)) {
                        return;
                    }
                    if (window != null) {
                        window.finish(now.seq());
                    }
                }
            }
        }

        /** One attempt of an invocation, for the task's failure policy (section 9). */
        private void attempt(Object input, Emitter<Object> out) throws Exception {
            try {
                executor.invoke(stage.task, input, out);
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new java.util.concurrent.ExecutionException(t);
            }
        }

        /**
         * Makes one invocation, counted; records its failure.
         *
         * @param value the input, or a join's stream
         * @param single whether {@code value} is one input (not a join's stream)
         * @return whether the worker goes on
         */
        private boolean invokeOne(Object value, boolean single, Emitter<Object> out) {
            if (single) {
                stage.itemsIn.incrementAndGet();
            }
            long begun = counter.begin();
            counter.busy();
            Throwable thrown = null;
            try {
                stage.task.failurePolicy().invoke(stage.task, value, out, this::attempt, counter, stage.tokens);
            } catch (Throwable t) {
                thrown = t;
            }
            counter.idle();
            boolean stop = thrown instanceof Stopped;
            counter.end(begun, thrown != null && !stop && executor.countsAsFailed(thrown));
            if (thrown == null) {
                return true;
            }
            if (stop || stage.out.abandoned()) {
                return false; // cancelled, or nobody reads our outputs any more (rule 8.3)
            }
            fail(stage, value, single, thrown);
            return false;
        }
    }

    /** A join's input: one stream per worker over the shared buffer before it (rule 2.4). */
    private final class JoinInput implements Spliterator<Object> {
        private final Worker worker;

        JoinInput(Worker worker) {
            this.worker = worker;
        }

        @Override
        public boolean tryAdvance(Consumer<? super Object> action) {
            Object item = worker.take();
            if (item == Buffer.END) {
                return false;
            }
            worker.stage.itemsIn.incrementAndGet();
            action.accept(Buffer.unwrap(item));
            return true;
        }

        @Override
        public Spliterator<Object> trySplit() {
            return null;
        }

        @Override
        public long estimateSize() {
            return Long.MAX_VALUE;
        }

        @Override
        public int characteristics() {
            return ORDERED;
        }
    }

    /**
     * An input a keyed task holds, with its window slot if it is ordered, and the
     * {@link System#nanoTime()} at which it began to wait for its key (0 if it did not).
     */
    private record Held(Object value, long seq, long since) {}

    /**
     * The turns of a keyed task (rules 10.10, 10.11): the busy keys, each with the inputs that wait
     * for it in the order they were taken, and how many inputs the task holds (taken or about to
     * be, not finished), at most {@code limit}.
     */
    private final class Keys {
        private final Stage stage;
        private final int limit;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition place = lock.newCondition();
        private final Map<Object, ArrayDeque<Held>> busy = new HashMap<>();
        private int held;

        Keys(Stage stage, int limit) {
            this.stage = stage;
            this.limit = limit;
        }

        /** Takes a place for the next input, waiting while the task holds {@code limit}. */
        void awaitPlace() {
            try {
                lock.lockInterruptibly();
            } catch (InterruptedException e) {
                throw Stopped.interrupted();
            }
            try {
                while (held >= limit) {
                    if (cancelled()) {
                        throw new Stopped("the run is cancelled");
                    }
                    if (stage.out.abandoned()) {
                        throw new Stopped("nobody reads this task's outputs any more");
                    }
                    place.await();
                }
                held++;
            } catch (InterruptedException e) {
                throw Stopped.interrupted();
            } finally {
                lock.unlock();
            }
        }

        /** Gives back a place that took no input. */
        void done() {
            lock.lock();
            try {
                held--;
                place.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /**
         * True if the key was free (the caller now holds it), false if the input waits for it,
         * counted in the caller's {@code counter} (rule 10.10).
         */
        boolean claim(Object key, Held input, CallCounter counter) {
            lock.lock();
            try {
                ArrayDeque<Held> waiting = busy.get(key);
                if (waiting != null) {
                    waiting.addLast(new Held(input.value(), input.seq(), System.nanoTime()));
                    counter.keyDelayed();
                    return false;
                }
                busy.put(key, new ArrayDeque<>());
                return true;
            } finally {
                lock.unlock();
            }
        }

        /**
         * After an input of the caller's key has finished: the key's next input, its wait counted in
         * the caller's {@code counter}, or null and the key is free.
         */
        Held next(Object key, CallCounter counter) {
            lock.lock();
            try {
                held--;
                place.signalAll();
                Held input = busy.get(key).pollFirst();
                if (input == null) {
                    busy.remove(key);
                } else {
                    counter.keyWaited(System.nanoTime() - input.since());
                }
                return input;
            } finally {
                lock.unlock();
            }
        }

        /** Wakes the workers waiting for a place, to see that the run is cancelled or its output abandoned. */
        void wake() {
            lock.lock();
            try {
                place.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * The reorder window of an {@code ordered()} task with several workers (rule 3.3): inputs are
     * numbered as they are taken; the outputs of the oldest input still open pass on as they come,
     * the others wait in their slot; at most {@code size} inputs are open (in flight or held).
     */
    private final class Window {
        private final Stage stage;
        private final int size;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition room = lock.newCondition();
        /** One drainer at a time, so that outputs pass on in slot order. */
        private final ReentrantLock drain = new ReentrantLock();

        private final Map<Long, Slot> slots = new HashMap<>();
        private long head;
        private long next;
        private boolean inputEnded;

        Window(Stage stage, int size) {
            this.stage = stage;
            this.size = size;
        }

        private static final class Slot {
            final ArrayDeque<Object> pending = new ArrayDeque<>();
            boolean done;
        }

        void awaitRoom() {
            try {
                lock.lockInterruptibly();
            } catch (InterruptedException e) {
                throw Stopped.interrupted();
            }
            try {
                while (next >= head + size) {
                    if (cancelled()) {
                        throw new Stopped("the run is cancelled");
                    }
                    if (stage.out.abandoned()) {
                        // rule 8.3: a worker that stopped at its refused output left its input's slot open for good
                        throw new Stopped("nobody reads this task's outputs any more");
                    }
                    room.await();
                }
            } catch (InterruptedException e) {
                throw Stopped.interrupted();
            } finally {
                lock.unlock();
            }
        }

        long open() {
            lock.lock();
            try {
                slots.put(next, new Slot());
                return next++;
            } finally {
                lock.unlock();
            }
        }

        void inputEnded() {
            List<Object> flushed = new ArrayList<>();
            lock.lock();
            try {
                inputEnded = true;
                if (!executor.keepsOrderAfterInputEnded()) { // the mutant: what is held goes out now, head or not
                    slots.keySet().stream().sorted().forEach(seq -> {
                        flushed.addAll(slots.get(seq).pending);
                        slots.get(seq).pending.clear();
                    });
                }
            } finally {
                lock.unlock();
            }
            for (Object value : flushed) {
                ReferenceRun.this.emit(stage, Buffer.unwrap(value));
            }
        }

        void emit(long seq, Object value) {
            boolean direct;
            lock.lock();
            try {
                direct = inputEnded && !executor.keepsOrderAfterInputEnded(); // the mutant: completion order at the end
                if (!direct) {
                    slots.get(seq).pending.add(Buffer.wrap(value));
                }
            } finally {
                lock.unlock();
            }
            if (direct) {
                ReferenceRun.this.emit(stage, value);
            } else {
                drain();
            }
        }

        void finish(long seq) {
            lock.lock();
            try {
                slots.get(seq).done = true;
            } finally {
                lock.unlock();
            }
            drain();
        }

        /** Wakes the workers waiting for room, to see that the run is cancelled or its output abandoned. */
        void wake() {
            lock.lock();
            try {
                room.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** Passes on what the oldest open inputs have, in order, and closes their slots once done. */
        private void drain() {
            try {
                drain.lockInterruptibly();
            } catch (InterruptedException e) {
                throw Stopped.interrupted();
            }
            try {
                while (true) {
                    List<Object> batch = new ArrayList<>();
                    lock.lock();
                    try {
                        Slot slot = slots.get(head);
                        if (slot == null) {
                            return;
                        }
                        if (slot.pending.isEmpty()) {
                            if (!slot.done) {
                                return;
                            }
                            slots.remove(head);
                            head++;
                            room.signalAll();
                            continue;
                        }
                        batch.addAll(slot.pending);
                        slot.pending.clear();
                    } finally {
                        lock.unlock();
                    }
                    for (Object value : batch) {
                        ReferenceRun.this.emit(stage, Buffer.unwrap(value));
                    }
                }
            } finally {
                drain.unlock();
            }
        }
    }
}
