package dev.pyper.engine;

import dev.pyper.spi.CallCounter;
import dev.pyper.spi.ContextPropagator;
import dev.pyper.spi.FailurePolicy;
import dev.pyper.spi.TaskSpec;
import dev.pyper.spi.TokenBucket;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The invocations of one async task by one executor's worker (rules 5.1, 9.8): the one place where
 * every executor starts them, turns what their stages came to into outputs, and cancels them, so
 * that a task behaves alike, and a mistake fails with the same exception, on all of them. The
 * executor keeps what is its own: the threads (none waits on a stage), the ordering, the counting
 * of invocations and the failing of the run.
 *
 * <ul>
 *   <li>{@link #start} calls the function through {@link TaskSpec#startAsync} (a function that
 *       returns null fails naming the task), or, under a failure policy, makes the policy's
 *       invocation, whose attempts (the first, and retries on the clock's timer) go through a
 *       {@link CallGate}.</li>
 *   <li>{@link #value} ends an invocation whose stage has completed: the stage's failure is
 *       thrown; under a policy, its retries and timeouts are counted and a failure out of retries
 *       is skipped, dead-lettered or thrown (rule 9.5).</li>
 *   <li>{@link #passOn} hands its outputs on: the value (rules 2.2, 8.4), each element of an async
 *       branch's value ({@link TaskSpec#elementsOf}, rule 2.3), or none for an input skipped or
 *       dead-lettered.</li>
 *   <li>{@link #cancelPending} and {@link #stopRetries} cancel what is under way when the run
 *       ends (rules 4.2, 4.5).</li>
 * </ul>
 *
 * <p>Thread-safe: invocations start on the executor's thread and complete on any.
 */
public final class AsyncCalls {

    /**
     * Where an invocation's outputs go.
     *
     * @param <X> what handing an output on may throw
     */
    @FunctionalInterface
    public interface Output<X extends Exception> {
        /**
         * Hands one output on.
         *
         * @param output the output, which may be null (rule 8.4)
         * @throws X if the output cannot be handed on (the run is ending)
         */
        void put(Object output) throws X;
    }

    private final TaskSpec task;
    private final FailurePolicy policy;
    private final TokenBucket tokens;
    private final ContextPropagator.Captured context;
    /** The function's calls of attempts under way, on timer and completion threads too (rule 9.8). */
    private final CallGate attempts = new CallGate();
    /** The invocations not yet completed, to cancel when the run ends. */
    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();

    /**
     * The invocations of {@code task}.
     *
     * @param task the async task
     * @param tokens the run's bucket of the task (rule 10.1); {@link TokenBucket#NONE} without a rate
     * @param context the run's context, restored around each call of the user's code here (each
     *     start of the function, a dead-letter sink, rule 8.8); {@link ContextPropagator.Captured#NONE}
     *     where the task's function and sink restore it themselves (the engine's {@code RunContext})
     */
    public AsyncCalls(TaskSpec task, TokenBucket tokens, ContextPropagator.Captured context) {
        if (!task.kind().isAsync()) {
            throw new IllegalArgumentException("task '" + task.name() + "' is not async");
        }
        this.task = task;
        this.policy = task.failurePolicy();
        this.tokens = tokens;
        this.context = context;
    }

    /**
     * Starts one invocation, in the calling thread, and returns its stage, pending until it
     * completes. Without a failure policy the stage completes with the function's value; under one,
     * with the policy's {@link FailurePolicy.AsyncOutcome}. Either way, hand what it completed with
     * to {@link #value}.
     *
     * @param input the input
     * @return the invocation's stage
     * @throws Exception what the function threw; an {@link IllegalStateException} naming the task
     *     if it returned null ({@link TaskSpec#startAsync})
     */
    // FutureReturnValueIgnored: whenComplete's stage runs our callback, which cannot fail; UndefinedEquals:
    // pending holds the stage itself, so identity (which a Future's equals is) is what its remove means
    @SuppressWarnings({"FutureReturnValueIgnored", "UndefinedEquals"})
    public CompletableFuture<?> start(Object input) throws Exception {
        CompletableFuture<?> invocation;
        if (policy.isNone()) {
            try (ContextPropagator.Scope restored = context.restore()) {
                invocation = task.startAsync(input).toCompletableFuture();
            }
        } else {
            invocation = policy.invokeAsync(
                    task,
                    input,
                    in -> {
                        try (ContextPropagator.Scope restored =
                                context.restore()) { // the first attempt, and retries on a timer (rule 9.8)
                            return attempts.startAsync(task, in);
                        }
                    },
                    tokens); // sections 9, 10: no thread waits
        }
        pending.add(invocation);
        invocation.whenComplete((value, error) -> pending.remove(invocation));
        return invocation;
    }

    /**
     * Ends an invocation whose stage has completed, on any thread: what to hand to
     * {@link #passOn}. Under a failure policy, counts the invocation's retries, timeouts and waits
     * for the rate on {@code counter} (rule 9.6), and skips or dead-letters a failure out of
     * retries (rule 9.5).
     *
     * @param input the invocation's input
     * @param result what its stage completed with, if it did not fail
     * @param error its stage's failure, or null
     * @param counter the counter of the calling worker, touched only under a failure policy
     * @return the value, or {@link FailurePolicy.AsyncOutcome#NOTHING} if there is no output
     * @throws Throwable {@code error}, the failure out of retries, or what the dead-letter sink threw
     */
    public Object value(Object input, Object result, Throwable error, CallCounter counter) throws Throwable {
        if (error != null) {
            throw error;
        }
        if (policy.isNone()) {
            return result;
        }
        try (ContextPropagator.Scope restored = context.restore()) { // a dead-letter sink is the user's code
            return policy.complete(task, input, (FailurePolicy.AsyncOutcome) result, counter);
        }
    }

    /**
     * Hands the outputs of an invocation's {@link #value} to {@code out}: none for
     * {@link FailurePolicy.AsyncOutcome#NOTHING}, each element of an async branch's value as its
     * iterator yields it, else the value.
     *
     * @param value what {@link #value} returned
     * @param out where the outputs go
     * @param <X> what {@code out} may throw
     * @throws X what {@code out} threw
     * @throws IllegalStateException naming the task, if an async branch's value is null or not an
     *     {@code Iterable} ({@link TaskSpec#elementsOf})
     */
    public <X extends Exception> void passOn(Object value, Output<X> out) throws X {
        if (value == FailurePolicy.AsyncOutcome.NOTHING) {
            return; // skipped or dead-lettered (rule 9.5): no output
        }
        if (task.kind() == TaskSpec.Kind.ASYNC_BRANCH) {
            for (Object output : task.elementsOf(value)) {
                out.put(output);
            }
        } else {
            out.put(value);
        }
    }

    /** Cancels the invocations not yet completed: the run is ending (rule 4.2). */
    public void cancelPending() {
        for (CompletableFuture<?> invocation : pending) {
            invocation.cancel(true);
        }
    }

    /**
     * Under a failure policy, once the worker that passes outputs on is ending (every invocation
     * done, or the run ending): no attempt starts any more, the pending invocations and their
     * retries are cancelled, and the attempts under way have returned when this returns (rules
     * 4.5, 9.8); an interrupt meanwhile is kept for afterwards. Without a policy, nothing: no
     * attempt runs off the executor's threads.
     */
    public void stopRetries() {
        if (policy.isNone()) {
            return;
        }
        attempts.close();
        cancelPending();
        attempts.awaitNone();
    }
}
