package dev.pyper.engine;

import dev.pyper.Emitter;
import dev.pyper.spi.CallCounter;
import dev.pyper.spi.TaskSpec;
import dev.pyper.spi.Throwables;
import dev.pyper.spi.TokenBucket;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * One task of a run: its workers, between the channel they take inputs from and the channel they
 * put outputs into.
 *
 * <h2>A worker's life</h2>
 * It registers with the run, opens its {@link Invoker}, then loops: take inputs (a batch of them
 * when it is the task's only worker), call the function on each, emit the outputs. A join worker
 * instead calls the function once with a stream over the input channel (rule 2.4). At the end of
 * the input it ends; on a failure it records the failure with the run, which cancels everything
 * (rule 4.2). Whatever happens, it then tells its output channel that one producer is done (the
 * last one ends the stream), its input channel that one consumer is done, and the run that it has
 * ended.
 *
 * <h2>Keyed tasks</h2>
 * A task given {@code byKey} runs its inputs of one key one at a time, in the order taken, through
 * a {@link KeyGate} (rules 10.10, 10.11): its workers start up front, take one input at a time,
 * and a worker that holds a key runs the inputs waiting for it before it takes another.
 *
 * <h2>Early ends</h2>
 * When every consumer of this stage's output has gone (a join that returned without reading all
 * of its input), the output channel is abandoned: puts into it end this stage's workers quietly,
 * and the stage's input is stopped, which in turn ends the stage before it.
 */
final class WorkerStage implements Stage, Channel.LazyConsumers {

    /** Stands for "no first input": a worker launched up front takes all its inputs itself. */
    private static final Object NO_INPUT = new Object();

    private final TaskSpec task;
    private final RunHandle<?> run;
    private final Channel input;
    private final Channel output;
    private final Channel upstreamInput;
    private final InvokerFactory invokers;
    private final Emitter<Object> emitter;
    private final ReorderWindow window;
    /** A keyed task's turns and bound (rules 10.10, 10.11); null for a task without {@code byKey}. */
    private final KeyGate keys;

    private final int batch;
    private final StageMetrics metrics;
    /** The run's rate limit of this task, shared by its workers (rule 10.1); {@link TokenBucket#NONE} without one. */
    private final TokenBucket tokens;

    private final boolean lazy;
    /** This stage's first slot in the run's worker registry. */
    private final int firstSlot;

    private WorkerLauncher launcher;
    /** Made up front: it is needed when memory may have run out. */
    private final String abnormalEnd;
    /** The same for an {@code OutOfMemoryError}: made in advance, as there may be no memory to make it then. */
    private final String outOfMemoryEnd;

    /**
     * @param upstreamInput the input channel of the stage before, stopped when this stage abandons
     *     its own input; {@code null} for the producer
     */
    WorkerStage(
            TaskSpec task,
            RunHandle<?> run,
            Channel input,
            Channel output,
            Channel upstreamInput,
            InvokerFactory invokers,
            int inputCapacity) {
        this.task = task;
        this.run = run;
        this.input = input;
        this.output = output;
        this.upstreamInput = upstreamInput;
        this.invokers = invokers;
        this.emitter = this::put;
        this.window = task.ordered() && task.workers() > 1 && !task.kind().isJoin()
                ? new ReorderWindow(task.workers(), emitter)
                : null;
        if (window != null) {
            run.addWait(window::cancel);
        }
        this.keys = task.keyed() ? new KeyGate(task.workers()) : null;
        if (keys != null) {
            run.addWait(keys::cancel);
        }
        this.batch = task.workers() == 1 && keys == null ? Stage.batchFor(inputCapacity) : 1;
        // a keyed task's workers take their inputs through its gate, never handed one as they start
        this.lazy = upstreamInput != null && !task.kind().isJoin() && keys == null;
        this.metrics = new StageMetrics(task, input, output, task.workers(), null);
        this.tokens = TokenBucket.of(task);
        this.firstSlot = run.reserveSlots(task.workers());
        this.abnormalEnd =
                "a worker of task '" + task.name() + "' ended abnormally, and its failure could not be recorded";
        this.outOfMemoryEnd = "a worker of task '" + task.name()
                + "' ran out of memory (OutOfMemoryError), and its failure could" + " not be recorded";
    }

    @Override
    public StageMetrics metrics() {
        return metrics;
    }

    @Override
    public TaskSpec task() {
        return task;
    }

    @Override
    public int threads() {
        return task.workers();
    }

    /**
     * A task after the producer (not a join) starts its workers lazily: one whenever an input
     * would wait with none of them idle, with the oldest waiting input in hand (see
     * {@link Channel#consumeLazily}); an ordered one takes that input's window slot first.
     */
    @Override
    public boolean startsLazily() {
        return lazy;
    }

    @Override
    public void startLazily(WorkerLauncher launcher) {
        this.launcher = launcher;
        input.consumeLazily(task.workers(), this);
    }

    @Override
    public boolean reserve() {
        return window == null || window.tryEnter();
    }

    @Override
    public void start(int worker, Object item, long sequence) {
        try {
            launcher.launch(Stage.threadName(task, worker), () -> work(worker, item, sequence));
        } catch (RuntimeException | Error e) {
            // No thread to be had: fail the run and count this worker's end here.
            run.fail(task.name(), null, e);
            notLaunched();
        }
    }

    @Override
    public void retire(int workers) {
        for (int i = 0; i < workers; i++) {
            notLaunched();
        }
    }

    @Override
    public void work(int n) {
        work(n, NO_INPUT, 0);
    }

    /** @param first the input handed over as the worker started, or {@link #NO_INPUT}; {@code sequence} is its number */
    private void work(int n, Object first, long sequence) {
        Thread me = Thread.currentThread();
        boolean returned = false;
        Throwable caught = null;
        try {
            if (run.enter(firstSlot + n - 1, me)) {
                CallCounter counters = metrics.worker(n);
                try (Invoker invoker = PolicyInvoker.open(task, invokers, n, counters, tokens)) {
                    if (task.kind().isJoin()) {
                        join(invoker, counters);
                    } else if (keys != null) {
                        eachByKey(invoker, counters);
                    } else if (window != null) {
                        eachInOrder(invoker, counters, first, sequence);
                    } else {
                        each(invoker, counters, first);
                    }
                }
            }
            returned = true;
        } catch (Throwable t) {
            caught = t;
            failed(null, false, t);
            returned = true;
        } finally {
            // Each step is tried even if the one before throws (an OutOfMemoryError in a full heap):
            // a worker that dies without leaving its channels or exiting the run hangs the caller.
            try {
                if (!returned && !run.isEnding()) {
                    // Recording a failure failed too: never let this worker's end pass for the end of
                    // its stream, which would hand the caller a short result.
                    run.cancelFromOutside(caught instanceof OutOfMemoryError ? outOfMemoryEnd : abnormalEnd);
                }
            } finally {
                try {
                    leave();
                } finally {
                    run.exit(firstSlot + n - 1);
                }
            }
        }
    }

    @Override
    public void notLaunched() {
        leave();
        run.exitUnlaunched();
    }

    private void leave() {
        Stage.leave(input, output, upstreamInput);
    }

    /**
     * The loop of an unordered task. The calls of a batch are counted once, at its end, and timed
     * only while {@linkplain CallCounter#timingDue() timing is due}, which is
     * decided per batch: the loop that runs the fast hand-offs holds no counter at all (rule 8.5).
     */
    private void each(Invoker invoker, CallCounter counters, Object first) throws InterruptedException {
        if (first != NO_INPUT) {
            counters.busy();
            boolean carryOn = callOne(invoker, counters, first, emitter, Invoker.Lookahead.NONE);
            counters.idle();
            if (!carryOn) {
                return;
            }
        }
        Batch items = new Batch(input, batch);
        while (input.take(items)) {
            counters.busy();
            boolean carryOn =
                    counters.timingDue() ? callTimed(invoker, counters, items) : callUntimed(invoker, counters, items);
            counters.idle();
            if (!carryOn) {
                return;
            }
        }
    }

    /** Calls the function on the rest of a batch, untimed, and counts the calls; false if the worker must end. */
    private boolean callUntimed(Invoker invoker, CallCounter counters, Batch items) {
        int before = items.started();
        while (items.hasNext()) {
            if (run.isEnding()) {
                counters.count(items.started() - before, false);
                return false;
            }
            Object item = items.next();
            try {
                invoker.invoke(item, emitter, items);
            } catch (Throwable t) {
                counters.count(items.started() - before, hasFailed(t));
                failed(item, true, t);
                return false;
            }
        }
        counters.count(items.started() - before, false);
        return true;
    }

    /** Calls the function on the rest of a batch, timing each call while timing is due; false if the worker must end. */
    private boolean callTimed(Invoker invoker, CallCounter counters, Batch items) {
        while (items.hasNext()) {
            if (run.isEnding()) {
                return false;
            }
            if (!callOne(invoker, counters, items.next(), emitter, items)) {
                return false;
            }
            if (!counters.timingDue()) {
                return callUntimed(invoker, counters, items);
            }
        }
        return true;
    }

    private void eachInOrder(Invoker invoker, CallCounter counters, Object first, long sequence)
            throws InterruptedException {
        // a first input's window slot was taken when it was handed over
        if (first != NO_INPUT && !callInOrder(invoker, counters, first, sequence)) {
            return;
        }
        Batch items = new Batch(input, 1);
        while (true) {
            window.enter();
            if (!input.take(items)) {
                window.leave();
                return;
            }
            if (!callInOrder(invoker, counters, items.next(), items.lastSequence())) {
                return;
            }
        }
    }

    /**
     * The loop of a keyed task (rules 10.10, 10.11; see {@link KeyGate}): with a ticket (and, if
     * ordered, a window slot) take an input and claim its key; if the key was free, run the input
     * and then each input that waits for the key, else leave the input waiting and take the next.
     */
    private void eachByKey(Invoker invoker, CallCounter counters) throws InterruptedException {
        Batch items = new Batch(input, 1);
        while (true) {
            keys.enter();
            if (window != null) {
                window.enter();
            }
            KeyGate.Taken taken;
            Object key;
            keys.beginTake();
            try {
                if (!input.take(items)) {
                    if (window != null) {
                        window.leave();
                    }
                    keys.leave();
                    return;
                }
                taken = new KeyGate.Taken(items.next(), items.lastSequence());
                try {
                    key = task.keyOf(taken.item());
                } catch (Throwable t) { // the key function's failure is the task's (rule 10.12)
                    keys.leave();
                    failed(taken.item(), true, t);
                    return;
                }
                if (!keys.claim(key, taken, counters)) {
                    continue; // it waits for the worker that holds its key
                }
            } finally {
                keys.endTake();
            }
            if (!runTurns(invoker, counters, key, taken)) {
                return;
            }
        }
    }

    /** Runs {@code first} and every input that waits for its key, one after another; false if the worker must end. */
    private boolean runTurns(Invoker invoker, CallCounter counters, Object key, KeyGate.Taken first)
            throws InterruptedException {
        for (KeyGate.Taken taken = first; taken != null; taken = keys.next(key, counters)) {
            boolean called;
            if (run.isEnding()) {
                called = false;
            } else if (window != null) {
                called = callInOrder(invoker, counters, taken.item(), taken.sequence());
            } else {
                counters.busy();
                called = callOne(invoker, counters, taken.item(), emitter, Invoker.Lookahead.NONE);
                counters.idle();
            }
            if (!called) {
                keys.drop(key); // the run ends, or no one wants the outputs: the inputs waiting for it go nowhere
                return false;
            }
        }
        return true;
    }

    /** One call of an ordered task, its outputs passed on in input order; false if it failed. */
    private boolean callInOrder(Invoker invoker, CallCounter counters, Object item, long sequence)
            throws InterruptedException {
        Emitter<Object> inOrder = window.emitterFor(sequence);
        counters.busy();
        boolean called = callOne(invoker, counters, item, inOrder, Invoker.Lookahead.NONE);
        counters.idle();
        if (!called) {
            return false;
        }
        window.complete(inOrder);
        return true;
    }

    /**
     * Calls the function on one input, counted on its own and timed if timing is due; false if it
     * failed, which is recorded. {@code next} are the inputs of the worker's following calls. The
     * caller marks the worker busy.
     */
    private boolean callOne(
            Invoker invoker, CallCounter counters, Object item, Emitter<Object> out, Invoker.Lookahead next) {
        long started = counters.begin();
        try {
            invoker.invoke(item, out, next);
        } catch (Throwable t) {
            counters.end(started, hasFailed(t));
            failed(item, true, t);
            return false;
        }
        counters.end(started, false);
        return true;
    }

    private void join(Invoker invoker, CallCounter counters) throws Exception {
        Batch items = new Batch(input, batch);
        Spliterator<Object> source = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED) {
            @Override
            public boolean tryAdvance(Consumer<? super Object> action) {
                if (!items.hasNext()) {
                    try {
                        if (!input.take(items)) {
                            return false;
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw (Signal) Signal.cancelled().initCause(e);
                    }
                }
                action.accept(items.next());
                return true;
            }
        };
        counters.busy();
        long started = counters.begin();
        boolean threw = false;
        try (Stream<Object> stream = StreamSupport.stream(source, false)) {
            invoker.invoke(stream, emitter);
        } catch (Throwable t) {
            threw = hasFailed(t);
            throw t;
        } finally {
            counters.end(started, threw);
            counters.idle();
        }
    }

    /** The emitter of an unordered task: straight into the output channel. */
    private void put(Object output) {
        try {
            this.output.put(output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw (Signal) Signal.cancelled().initCause(e);
        }
    }

    /**
     * Whether an invocation that threw {@code t} counts as failed (rule 8.5): not if the run's end
     * or the consumers' leaving ended it (its emit refused, its wait interrupted).
     */
    private boolean hasFailed(Throwable t) {
        return !Signal.isSignal(t) && !(run.isEnding() && Throwables.causedByEnding(t));
    }

    private void failed(Object item, boolean hasInput, Throwable t) {
        if (Signal.isAbandoned(t)) {
            input.retireUnstarted(); // nobody wants this task's outputs any more: end quietly, and start no one
            return;
        }
        try {
            String shown = task.kind().isJoin() ? "its input stream" : hasInput ? RunHandle.describe(item) : null;
            run.fail(task.name(), shown, t);
        } catch (OutOfMemoryError again) {
            // describing the input needs memory that an OutOfMemoryError may not leave: record the failure bare
            run.fail(task.name(), null, t);
        }
    }
}
