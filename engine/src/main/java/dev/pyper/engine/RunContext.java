package dev.pyper.engine;

import dev.pyper.DeadLetter;
import dev.pyper.DeadLetterSink;
import dev.pyper.Emitter;
import dev.pyper.Option;
import dev.pyper.function.ThrowingFunction;
import dev.pyper.spi.ContextPropagator;
import dev.pyper.spi.FailurePolicy;
import dev.pyper.spi.TaskSpec;
import java.io.Serializable;

/**
 * The context of the thread that started a run, restored around each of the run's invocations
 * (rule 8.8): a wrapper of the invokers of blocking tasks, and of the function of async ones and
 * the dead-letter sink of any, so that the stages themselves know nothing of it. A blocking task's
 * worker keeps one restore open across the invocations it makes on its own thread, checked before
 * each ({@link ContextPropagator.Captured#isCurrent()}: a read of each thread-local, where a
 * restore and its close write each twice) and made again after one that changed the thread's
 * context; it is closed when the worker closes its invoker, on its thread. Anything else (an
 * attempt on a thread of its own under a timeout, an async function, a sink) is restored on its
 * own and closed when it returns. Either way the worker's thread is left as it was, for the next run.
 */
final class RunContext {

    private RunContext() {}

    /**
     * The invokers of a blocking task, each opened and called with the run's context restored
     * (a worker process takes the context it carries when it is opened).
     *
     * @param invokers the task's invokers
     * @param context the run's context
     * @return {@code invokers} itself if nothing was captured
     */
    static InvokerFactory around(InvokerFactory invokers, ContextPropagator.Captured context) {
        if (context == ContextPropagator.Captured.NONE) {
            return invokers;
        }
        return (task, worker) -> {
            Invoker opened;
            try (ContextPropagator.Scope scope = context.restore()) {
                opened = invokers.open(task, worker);
            }
            // under a timeout an attempt runs on a thread of its own (rule 9.4), and a lost worker
            // process's invoker may be closed there: only a worker whose every call and close is
            // made on the thread that opened it keeps a restore open
            Thread holder = task.failurePolicy().timeout() == null ? Thread.currentThread() : null;
            return new Restoring(opened, context, holder);
        };
    }

    /**
     * A task whose user code outside its invokers is called with the run's context restored: an
     * async task's function, by the stage's intake and for a retry on the policy clock's timer
     * (rule 9.8), and any task's dead-letter sink (rule 9.5). What an async stage does after the
     * function has returned runs where the user's code puts it.
     *
     * @param task a task
     * @param context the run's context
     * @return {@code task} itself if nothing was captured, or it has neither
     */
    static TaskSpec around(TaskSpec task, ContextPropagator.Captured context) {
        FailurePolicy policy = task.failurePolicy();
        DeadLetterSink sink =
                policy.onFailure() == null ? null : policy.onFailure().sink();
        if (context == ContextPropagator.Captured.NONE || !task.kind().isAsync() && sink == null) {
            return task;
        }
        Serializable function =
                task.kind().isAsync() ? new RestoringFunction(task.function(), context) : task.function();
        if (sink != null) {
            policy = new FailurePolicy(
                    policy.retry(),
                    policy.timeout(),
                    new Option.OnFailure(new RestoringSink(sink, context)),
                    policy.rate());
        }
        return task.withFunction(function, policy);
    }

    /**
     * An invoker whose every call runs with the run's context restored: on the thread that opened
     * it ({@code holder}, null for none) by one restore held from call to call while it stays
     * current, and closed by {@link #close()}; on any other thread by a restore of its own.
     */
    private static final class Restoring implements Invoker {

        private final Invoker invoker;
        private final ContextPropagator.Captured context;
        private final Thread holder;
        /** The restore held open on {@code holder}, or null; read and written by {@code holder} alone. */
        private ContextPropagator.Scope held;

        Restoring(Invoker invoker, ContextPropagator.Captured context, Thread holder) {
            this.invoker = invoker;
            this.context = context;
            this.holder = holder;
        }

        @Override
        public void invoke(Object input, Emitter<Object> out) throws Exception {
            if (Thread.currentThread() != holder) {
                try (ContextPropagator.Scope scope = context.restore()) {
                    invoker.invoke(input, out);
                }
                return;
            }
            hold();
            invoker.invoke(input, out);
        }

        @Override
        public void invoke(Object input, Emitter<Object> out, Lookahead next) throws Exception {
            if (Thread.currentThread() != holder) {
                try (ContextPropagator.Scope scope = context.restore()) {
                    invoker.invoke(input, out, next);
                }
                return;
            }
            hold();
            invoker.invoke(input, out, next);
        }

        /** Makes sure the holder's thread has the run's context: restored the first time, and again if a call changed it. */
        private void hold() {
            if (held != null && context.isCurrent()) {
                return;
            }
            if (held != null) {
                ContextPropagator.Scope changed = held;
                held = null;
                changed.close(); // the thread as it was before the run, then the run's context afresh
            }
            held = context.restore();
        }

        @Override
        public boolean usable() {
            return invoker.usable();
        }

        @Override
        public boolean endsWhenInterrupted() {
            return invoker.endsWhenInterrupted(); // a worker process's call keeps its own way to end (rule 9.4)
        }

        @Override
        public void close() throws Exception {
            try {
                invoker.close();
            } finally {
                if (held != null && Thread.currentThread() == holder) {
                    ContextPropagator.Scope scope = held;
                    held = null;
                    scope.close();
                }
            }
        }
    }

    /**
     * An async function called with the run's context restored. Never crosses to another JVM
     * (async tasks are not multiprocess, rule 1.5): the context is not serializable, on purpose.
     */
    private record RestoringFunction(Serializable function, ContextPropagator.Captured context)
            implements ThrowingFunction<Object, Object> {

        @Override
        @SuppressWarnings("unchecked")
        public Object apply(Object input) throws Exception {
            try (ContextPropagator.Scope scope = context.restore()) {
                return ((ThrowingFunction<Object, Object>) function).apply(input);
            }
        }

        @Override
        public String toString() {
            return function.toString();
        }
    }

    /** A dead-letter sink called with the run's context restored; in the caller's JVM only, as the function above. */
    private record RestoringSink(DeadLetterSink sink, ContextPropagator.Captured context) implements DeadLetterSink {

        @Override
        public void accept(DeadLetter letter) throws Exception {
            try (ContextPropagator.Scope scope = context.restore()) {
                sink.accept(letter);
            }
        }

        @Override
        public String toString() {
            return sink.toString();
        }
    }
}
