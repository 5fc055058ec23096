package dev.pyper.engine;

import dev.pyper.Emitter;
import dev.pyper.spi.CallCounter;
import dev.pyper.spi.FailurePolicy;
import dev.pyper.spi.TaskSpec;
import dev.pyper.spi.TokenBucket;

/**
 * An invoker that applies its task's {@link FailurePolicy} (sections 9 and 10) around another's
 * attempts: retries, timeouts, skips and dead letters, and the rate, the same way for calls in this
 * JVM and in worker processes. Every attempt is a call of its own, made without sending later
 * inputs ahead, so that an attempt made again is made with its own input, and no call reaches a
 * worker process before its token is taken in this JVM (rule 10.3). An attempt that leaves its invoker
 * {@linkplain Invoker#usable() unusable} (a worker process that died) closes it, and the next
 * attempt opens a new one: the input is retried on a new worker process.
 */
final class PolicyInvoker implements Invoker {

    private final TaskSpec task;
    private final InvokerFactory invokers;
    private final int worker;
    private final CallCounter counter;
    private final TokenBucket tokens;
    private final FailurePolicy.Attempt attempt = new FailurePolicy.Attempt() {
        @Override
        public void call(Object input, Emitter<Object> out) throws Exception {
            attempt(input, out);
        }

        @Override
        public void prepare() throws Exception {
            if (current == null) {
                current = invokers.open(task, worker); // a new worker process, started before the attempt's time runs
            }
        }

        @Override
        public boolean lostItsWorker() {
            return current == null; // the last attempt closed the invoker it made unusable
        }

        @Override
        public boolean endsWhenInterrupted() {
            return current != null && current.endsWhenInterrupted(); // prepare() has opened it
        }
    };
    private Invoker current;

    private PolicyInvoker(
            TaskSpec task,
            InvokerFactory invokers,
            int worker,
            Invoker first,
            CallCounter counter,
            TokenBucket tokens) {
        this.task = task;
        this.invokers = invokers;
        this.worker = worker;
        this.current = first;
        this.counter = counter;
        this.tokens = tokens;
    }

    /**
     * Opens the invoker of one worker: under its task's policy, or the factory's own if the task has none.
     *
     * @param task the task
     * @param invokers the factory of the invokers that make one attempt
     * @param worker the worker's number, from 1
     * @param counter the worker's counter
     * @param tokens the run's bucket of the task, shared by its workers (rule 10.1)
     * @return the invoker to use
     * @throws Exception if the factory's invoker cannot be opened
     */
    static Invoker open(TaskSpec task, InvokerFactory invokers, int worker, CallCounter counter, TokenBucket tokens)
            throws Exception {
        Invoker first = invokers.open(task, worker);
        return task.failurePolicy().isNone()
                ? first
                : new PolicyInvoker(task, invokers, worker, first, counter, tokens);
    }

    @Override
    public void invoke(Object input, Emitter<Object> out) throws Exception {
        task.failurePolicy().invoke(task, input, out, attempt, counter, tokens);
    }

    private void attempt(Object input, Emitter<Object> out) throws Exception {
        try {
            current.invoke(input, out);
        } catch (Exception | Error e) {
            if (!current.usable()) {
                Invoker lost = current;
                current = null;
                try {
                    lost.close();
                } catch (Exception closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
    }

    @Override
    public boolean usable() {
        return current == null || current.usable();
    }

    @Override
    public void close() throws Exception {
        if (current != null) {
            current.close();
        }
    }
}
