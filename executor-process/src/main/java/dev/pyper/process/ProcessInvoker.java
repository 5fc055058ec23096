package dev.pyper.process;

import dev.pyper.Emitter;
import dev.pyper.engine.Invoker;
import dev.pyper.spi.TaskSpec;
import java.io.IOException;
import java.io.ObjectStreamException;
import java.util.Iterator;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs one engine worker's invocations in one worker process: the parent's side of the
 * conversation in {@link FrameType}. Used only by the engine worker thread that opened it.
 *
 * <h2>Flow and backpressure</h2>
 * Each invocation sends its input and then serves the worker until it answers RESULT, DONE or
 * FAILED: every OUTPUT is emitted at once (rule 2.3); a join's PULL is answered with the next item
 * of its input stream, read only then, so an infinite input works (rule 2.4). For a throttled
 * task each OUTPUT is acknowledged only once the emit has returned, and the worker waits for that
 * acknowledgement, so a blocked emit here pauses the function there exactly as it would in this
 * JVM (rule 2.6). An unthrottled task's outputs stream without acknowledgements.
 *
 * <h2>Cancellation</h2>
 * When the run ends while an invocation runs (the engine interrupts this thread, or an emit or the
 * join's input finds the run cancelled), the invoker asks the worker to interrupt that invocation
 * and waits, briefly, for its answer: the function is interrupted as it would be on a thread of
 * this JVM (rule 4.2), its {@code finally} blocks run, and a failure it ends with reaches the run
 * as a later failure (rule 4.3).
 *
 * <h2>Clean and broken</h2>
 * The worker is <em>clean</em> between invocations. Anything that ends an invocation other than
 * the worker's own answer (an interrupted invocation that does not answer in time, an input that
 * cannot be read, the link breaking) leaves the worker mid-conversation: the invoker is then
 * broken, and {@link #close()} kills the process instead of returning it to the pool. So does an
 * {@code Error} in the function: that JVM may not be sound.
 */
final class ProcessInvoker implements Invoker {

    /** How long an interrupted invocation may take to end before its process is killed. */
    private static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final TaskSpec task;
    private final WorkerProcess worker;
    private final WorkerPool pool;
    private final ClassLoader loader;
    private final boolean acks;
    private final FrameOut out = new FrameOut();
    private boolean broken;
    /** CALL and JOIN frames sent: the worker counts the same, so an interrupt names its invocation. */
    private long invocations;

    ProcessInvoker(TaskSpec task, WorkerProcess worker, WorkerPool pool) {
        this.task = task;
        this.worker = worker;
        this.pool = pool;
        this.loader = WorkerPool.loaderOf(task);
        this.acks = WorkerPool.needsAcks(task);
    }

    @Override
    public void invoke(Object input, Emitter<Object> emitter) throws Exception {
        if (broken) {
            throw new IllegalStateException("the worker process of task '" + task.name() + "' is no longer usable");
        }
        FrameOut call;
        if (task.kind().isJoin()) {
            call = out.begin(FrameType.JOIN);
        } else {
            try {
                call = out.begin(FrameType.CALL).putValue(input);
            } catch (FrameOut.NotSerializableValueException e) {
                throw notSerializable("an input", input, e); // nothing was sent: the worker stays clean
            }
        }
        broken = true; // until the worker answers that it is idle again
        Throwable failure;
        try {
            send(call);
            invocations++;
            try {
                failure = converse(task.kind().isJoin() ? ((Stream<?>) input).iterator() : null, emitter);
            } catch (InterruptedException | CancellationException runEnding) {
                failure = stop(runEnding);
            }
        } catch (ObjectStreamException e) {
            throw e; // a value that could not be read here: the run fails with that, not with a death
        } catch (IOException e) {
            throw worker.died(task.name(), e);
        }
        if (failure == null) {
            return;
        }
        if (failure instanceof Error error) {
            broken = true; // that JVM may not be sound any more
            throw error;
        }
        throw failure instanceof Exception exception ? exception
                : new RemoteFailure(failure.getClass().getName(), failure.getMessage(), String.valueOf(failure));
    }

    /**
     * Ends the running invocation because the run is ending (this thread was interrupted, or an
     * emit or the join's input found the run cancelled): asks the worker to interrupt it and waits,
     * at most {@link #STOP_GRACE_NANOS}, for its answer, discarding its outputs (rule 4.2). The
     * worker is clean again once it has answered; if it does not answer in time, it stays broken
     * and {@link #close()} kills it.
     *
     * @return the function's own failure if it ended with one (the run attaches it as a later
     *     failure, rule 4.3), else {@code why}
     */
    private Throwable stop(Exception why) throws IOException {
        if (!broken) {
            return why; // the invocation had answered already: its result met the run's end here
        }
        boolean interrupted = Thread.interrupted(); // the link must be able to wait; given back below
        try {
            if (!worker.interrupt(invocations)) {
                return why;
            }
            long deadline = System.nanoTime() + STOP_GRACE_NANOS;
            while (true) {
                FrameIn frame = worker.link().receiveBefore(deadline);
                if (frame == null) {
                    return why;
                }
                switch (frame.type()) {
                    case FrameType.RESULT, FrameType.DONE -> {
                        broken = false;
                        return why;
                    }
                    case FrameType.FAILED -> {
                        Throwable failure = failure(frame);
                        broken = false;
                        return failure;
                    }
                    default -> {
                        // an OUTPUT nobody wants now, or a PULL: the worker is being interrupted and waits for no answer
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Serves the worker until it answers that the invocation has ended; clears {@code broken} then.
     *
     * @return the function's failure, or null if it completed
     */
    private Throwable converse(Iterator<?> joinInput, Emitter<Object> emitter) throws IOException, InterruptedException {
        while (true) {
            FrameIn frame = worker.link().receive();
            switch (frame.type()) {
                case FrameType.OUTPUT -> {
                    emitter.emit(frame.getValue(loader));
                    if (acks) {
                        send(out.begin(FrameType.ACK));
                    }
                }
                case FrameType.RESULT -> {
                    Object result = frame.getValue(loader);
                    broken = false; // the worker is idle again, whatever the emit does
                    emitter.emit(result);
                    return null;
                }
                case FrameType.DONE -> {
                    broken = false;
                    return null;
                }
                case FrameType.PULL -> send(nextItem(joinInput));
                case FrameType.FAILED -> {
                    Throwable failure = failure(frame);
                    broken = false;
                    return failure;
                }
                default -> throw new IllegalStateException("Task '" + task.name() + "': unexpected frame "
                        + FrameType.name(frame.type()) + " from its worker process (pid " + worker.pid() + ")");
            }
        }
    }

    private FrameOut nextItem(Iterator<?> joinInput) {
        if (!joinInput.hasNext()) {
            return out.begin(FrameType.END);
        }
        Object item = joinInput.next();
        try {
            return out.begin(FrameType.ITEM).putValue(item);
        } catch (FrameOut.NotSerializableValueException e) {
            throw notSerializable("an input", item, e);
        }
    }

    private IllegalArgumentException notSerializable(String what, Object value, FrameOut.NotSerializableValueException e) {
        return new IllegalArgumentException("Task '" + task.name() + "': " + what + " of type " + value.getClass().getName()
                + " cannot be serialized to pass it to the worker process: " + e.getCause(), e.getCause());
    }

    private Throwable failure(FrameIn frame) throws IOException {
        if (frame.getBoolean()) {
            return (Throwable) frame.getValue(loader);
        }
        return new RemoteFailure(frame.getString(), frame.getString(), frame.getString());
    }

    private void send(FrameOut frame) throws IOException {
        worker.link().send(frame.end());
    }

    /** Returns a clean worker to the pool; kills a broken one (rule 4.5). */
    @Override
    public void close() {
        pool.giveBack(worker, !broken);
    }
}
