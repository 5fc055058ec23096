package dev.pyper.engine;

import dev.pyper.spi.CallCounter;
import dev.pyper.spi.ContextPropagator;
import dev.pyper.spi.TaskSpec;
import dev.pyper.spi.TokenBucket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An async task: up to {@code workers} stages in flight, and no thread waiting on any of them
 * (rule 5.1).
 *
 * <h2>Two threads, whatever the workers</h2>
 * <ul>
 *   <li>The <b>intake</b> takes a permit (one per stage in flight, {@code workers} in all), takes
 *       an input, calls the function, and registers a callback on the stage it returns. The
 *       callback, on whatever thread completes the stage, only puts a {@link Completion} into an
 *       unbounded channel: it never blocks.</li>
 *   <li>The <b>outlet</b> takes completions, passes their outputs on (waiting on a full output
 *       buffer, so the throttle reaches back: rule 2.6), and only then gives the permit back. For
 *       an {@code ordered()} task it holds completions until their predecessors are out; each
 *       keeps its permit meanwhile, so at most {@code workers} inputs are in flight or held
 *       (rule 3.3).</li>
 * </ul>
 *
 * <h2>End, failure, cancellation</h2>
 * The completion channel has one producer "slot" for the intake and one for each stage in flight
 * ({@code open}); the last of them to end ends the channel, and with it the outlet. A function
 * that throws, or a stage that fails, fails the run naming the input (rule 4.1). When the run
 * ends early, the intake cancels every stage still pending. When the outlet ends early (its
 * consumers have gone), it stops the intake.
 */
final class AsyncStage implements Stage {

    private final TaskSpec task;
    private final RunHandle<?> run;
    private final Channel input;
    private final Channel output;
    private final Channel upstreamInput;
    private final Semaphore permits;
    private final Channel completions = new Channel(0, 1, 1);
    private final AtomicInteger open = new AtomicInteger(1);
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Starts, ends and cancels the invocations, as every executor does (rules 5.1, 9.8). */
    private final AsyncCalls calls;
    /** Where {@link #calls} hands the outputs: the output channel, waiting while it is full (rule 2.6). */
    private final AsyncCalls.Output<InterruptedException> out;

    private final StageMetrics metrics;
    /** This stage's first slot in the run's worker registry. */
    private final int firstSlot;

    AsyncStage(TaskSpec task, RunHandle<?> run, Channel input, Channel output, Channel upstreamInput) {
        this.task = task;
        this.run = run;
        this.input = input;
        this.output = output;
        this.upstreamInput = upstreamInput;
        this.permits = new Semaphore(task.workers());
        this.metrics = new StageMetrics(task, input, output, 2, inFlight::get);
        // the run's rate limit of the task (rule 10.1): a stage not yet due starts on the clock's timer;
        // the task's function and sink restore the run's context themselves (RunContext)
        this.calls = new AsyncCalls(task, TokenBucket.of(task), ContextPropagator.Captured.NONE);
        this.out = output::put;
        this.firstSlot = run.reserveSlots(threads());
        run.addChannel(completions);
    }

    /**
     * Loaded and initialised with this class, not by the first completions: those run on the
     * threads that complete stages, and several of them loading the class at once would contend
     * for the class loader's lock, pinning virtual-thread carriers.
     */
    @SuppressWarnings("unused") // made for its class's loading, never read
    private static final Completion LOADED_EARLY = new Completion(-1, null, null, null, 0);

    /** What a stage came to, with what the outlet needs to pass it on or report it. */
    private record Completion(long sequence, Object input, Object value, Throwable error, long started) {}

    @Override
    public TaskSpec task() {
        return task;
    }

    @Override
    public int threads() {
        return 2;
    }

    @Override
    public StageMetrics metrics() {
        return metrics;
    }

    @Override
    public void work(int n) {
        Thread me = Thread.currentThread();
        try {
            if (run.enter(firstSlot + n - 1, me)) {
                if (n == 1) {
                    intake();
                } else {
                    outlet();
                }
            }
        } catch (Throwable t) {
            if (!Signal.isAbandoned(t)) {
                run.fail(task.name(), null, t);
            }
        } finally {
            if (n == 2) {
                stopRetries();
            }
            leave(n);
            run.exit(firstSlot + n - 1);
        }
    }

    /**
     * When the outlet ends (every stage done, or the run ending): no attempt starts any more, the
     * pending stages and retries are cancelled, and the attempts under way have returned before the
     * outlet's worker leaves the run (rules 4.2, 4.5).
     */
    private void stopRetries() {
        calls.stopRetries();
    }

    @Override
    public void notLaunched() {
        for (int n = 1; n <= threads(); n++) {
            leave(n);
        }
        run.exitUnlaunched();
    }

    private void leave(int n) {
        if (n == 1) {
            closeSlot();
            if (input.consumerDone() && upstreamInput != null) {
                upstreamInput.stop();
            }
        } else {
            output.producerDone();
            input.stop(); // whatever ended the outlet, the intake has nothing left to do
            permits.release(task.workers() + 1);
        }
    }

    // whenComplete's stage: our callback, which handles its own errors
    @SuppressWarnings("FutureReturnValueIgnored")
    private void intake() throws InterruptedException {
        CallCounter counters = metrics.worker(1);
        Batch items = new Batch(input, 1);
        long sequence = 0;
        try {
            while (true) {
                permits.acquire();
                if (run.isEnding() || !input.take(items)) {
                    return;
                }
                Object item = items.next();
                long started = System.nanoTime();
                CompletableFuture<?> future;
                try {
                    future = calls.start(item); // sections 9, 10: no thread waits
                } catch (Throwable t) {
                    counters.timed(started, true);
                    run.fail(task.name(), RunHandle.describe(item), t);
                    return;
                }
                long s = sequence++;
                open.incrementAndGet();
                inFlight.incrementAndGet();
                future.whenComplete((value, error) -> {
                    try {
                        completions.put(new Completion(s, item, value, error, started));
                    } catch (InterruptedException | RuntimeException ended) {
                        // the run has ended: nobody waits for this completion
                    } finally {
                        closeSlot();
                    }
                });
            }
        } finally {
            if (run.isEnding()) {
                calls.cancelPending();
            }
        }
    }

    private void outlet() throws InterruptedException {
        CallCounter counters = metrics.worker(2);
        Batch done = new Batch(completions, MAX_BATCH);
        Map<Long, Completion> held = task.ordered() ? new HashMap<>() : null;
        long next = 0;
        while (completions.take(done)) {
            while (done.hasNext()) {
                Completion c = (Completion) done.next();
                if (held == null) {
                    passOn(c, counters);
                    continue;
                }
                held.put(c.sequence(), c);
                for (Completion first = held.remove(next); first != null; first = held.remove(next)) {
                    passOn(first, counters);
                    next++;
                }
            }
        }
    }

    /** Passes a completed stage's outputs on, then gives its permit back. */
    private void passOn(Completion c, CallCounter counters) throws InterruptedException {
        Object value = null;
        Throwable error = null;
        try { // section 9: count the retries and timeouts; skip, dead-letter or fail an input out of retries
            value = calls.value(c.input(), c.value(), c.error(), counters);
        } catch (Throwable t) {
            error = t;
        }
        counters.timed(c.started(), error != null);
        if (error == null) {
            try {
                calls.passOn(value, out);
            } catch (InterruptedException | Signal ended) {
                throw ended;
            } catch (Throwable t) { // an async branch's value not iterable, or its iterator threw
                error = t;
            }
        }
        if (error != null) {
            run.fail(task.name(), RunHandle.describe(c.input()), error);
            throw Signal.cancelled();
        }
        inFlight.decrementAndGet();
        permits.release();
    }

    /** One producer of the completion channel is done: the intake, or a stage in flight. */
    private void closeSlot() {
        if (open.decrementAndGet() == 0) {
            completions.producerDone();
        }
    }
}
