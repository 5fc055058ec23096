package dev.pyper.process;

import dev.pyper.Emitter;
import dev.pyper.engine.Invoker;
import dev.pyper.spi.TaskSpec;
import java.io.IOException;
import java.io.ObjectStreamException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
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
 * <h2>Calls sent ahead</h2>
 * An unthrottled task with one worker gets, with each input, the inputs that the engine worker has
 * already taken for its next calls ({@link Invoker.Lookahead}). Their CALL frames go out at once,
 * several in one write, up to {@value #AHEAD_CALLS} calls and {@value #AHEAD_BYTES} bytes ahead,
 * so that the worker computes the next inputs while this thread hands the outputs of the current
 * one on: one round trip per batch instead of per item. The answers still come one invocation at
 * a time, in order, and each invocation's outputs are emitted during its own call (rules 3.1, 4.1).
 * Running ahead is allowed only where nothing bounds the task's output buffer (throttle 0): a
 * throttled task's invocations must wait for room (rule 2.6). The bytes bound keeps the calls in
 * flight within the socket's buffer, so this thread never blocks writing while the worker blocks
 * writing its outputs. After a failure the worker skips the calls sent ahead (rule 4.2: no new
 * invocation starts), answering SKIPPED, and this side reads those answers and sends RESUME.
 *
 * <h2>Cancellation</h2>
 * When the run ends while an invocation runs (the engine interrupts this thread, or an emit or the
 * join's input finds the run cancelled), the invoker asks the worker to interrupt that invocation
 * and skip the calls sent after it, and waits, briefly, for their answers: the function is
 * interrupted as it would be on a thread of this JVM (rule 4.2), its {@code finally} blocks run,
 * and a failure it ends with reaches the run as a later failure (rule 4.3).
 *
 * <h2>Clean and broken</h2>
 * The worker is <em>clean</em> when every call sent has been answered. Anything that ends an
 * invocation other than the worker's own answer (an interrupted invocation that does not answer in
 * time, an input that cannot be read, the link breaking) leaves the worker mid-conversation: the
 * invoker is then broken, and {@link #close()} kills the process instead of returning it to the
 * pool. So does an {@code Error} in the function: that JVM may not be sound.
 */
final class ProcessInvoker implements Invoker {

    /** How long an interrupted invocation may take to end before its process is killed. */
    private static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(3);
    /** At most this many calls are sent ahead of the one whose answer is awaited. */
    static final int AHEAD_CALLS = 64;
    /** At most this many bytes of calls are in flight ahead: well within a Unix socket's buffer. */
    static final int AHEAD_BYTES = 32 * 1024;

    private final TaskSpec task;
    private final WorkerProcess worker;
    private final WorkerPool pool;
    private final ClassLoader loader;
    private final boolean acks;
    private final boolean mayRunAhead;
    private final FrameOut out = new FrameOut();
    /** The sizes of the calls sent ahead and not yet invoked by the engine, oldest first. */
    private final ArrayDeque<Integer> ahead = new ArrayDeque<>();

    private int aheadBytes;
    /** Whether the current call is unanswered (or the worker is unusable): see the class comment. */
    private boolean broken;
    /** The number of the current call, as the worker counts them ({@code WorkerProcess.callsSent}). */
    private long current;

    ProcessInvoker(TaskSpec task, WorkerProcess worker, WorkerPool pool) {
        this.task = task;
        this.worker = worker;
        this.pool = pool;
        this.loader = WorkerPool.loaderOf(task);
        this.acks = WorkerPool.needsAcks(task);
        this.mayRunAhead = !acks && !task.kind().isJoin() && !task.ordered() && task.workers() == 1;
    }

    @Override
    public void invoke(Object input, Emitter<Object> emitter) throws Exception {
        invoke(input, emitter, Lookahead.NONE);
    }

    @Override
    public void invoke(Object input, Emitter<Object> emitter, Lookahead next) throws Exception {
        if (broken) {
            throw new IllegalStateException("the worker process of task '" + task.name() + "' is no longer usable");
        }
        Throwable failure;
        try {
            if (ahead.isEmpty()) {
                FrameOut call = callFrame(input); // may fail naming the input: nothing was sent, the worker stays clean
                broken = true; // until the worker answers
                worker.link().sendLater(call.end());
                current = worker.countCall();
            } else {
                aheadBytes -= ahead.removeFirst(); // its CALL went out with an earlier one
                broken = true;
                current++;
            }
            if (mayRunAhead) {
                sendAhead(next);
            }
            worker.link().flush();
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
        throw failure instanceof Exception exception
                ? exception
                : new RemoteFailure(failure.getClass().getName(), failure.getMessage(), String.valueOf(failure));
    }

    private FrameOut callFrame(Object input) {
        if (task.kind().isJoin()) {
            return out.begin(FrameType.JOIN);
        }
        try {
            return out.begin(FrameType.CALL).putValue(input);
        } catch (FrameOut.NotSerializableValueException e) {
            throw notSerializable("an input", input, e);
        }
    }

    /** Queues CALL frames for the following inputs, within the bounds; stops at one that cannot be serialized (its own call will say so). */
    private void sendAhead(Lookahead next) throws IOException {
        for (int i = ahead.size(); i < next.size() && ahead.size() < AHEAD_CALLS; i++) {
            FrameOut call;
            try {
                call = out.begin(FrameType.CALL).putValue(next.get(i));
            } catch (FrameOut.NotSerializableValueException e) {
                return;
            }
            ByteBuffer frame = call.end();
            if (aheadBytes + frame.remaining() > AHEAD_BYTES) {
                return;
            }
            ahead.addLast(frame.remaining());
            aheadBytes += frame.remaining();
            worker.link().sendLater(frame);
            worker.countCall();
        }
    }

    /**
     * Serves the worker until it answers that the current invocation has ended; clears {@code broken} then.
     *
     * @return the function's failure, or null if it completed
     */
    private Throwable converse(Iterator<?> joinInput, Emitter<Object> emitter)
            throws IOException, InterruptedException {
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
                    broken = false; // the worker has answered, whatever the emit does
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
                    skipAhead(
                            Long.MAX_VALUE); // the worker skips the calls sent ahead: no new invocation after a failure
                    return failure;
                }
                default ->
                    throw new IllegalStateException("Task '" + task.name() + "': unexpected frame "
                            + FrameType.name(frame.type()) + " from its worker process (pid " + worker.pid() + ")");
            }
        }
    }

    /**
     * Ends the running invocation because the run is ending (this thread was interrupted, or an
     * emit or the join's input found the run cancelled): asks the worker to interrupt it and to
     * skip the calls sent ahead, and waits, at most {@link #STOP_GRACE_NANOS}, for their answers,
     * discarding outputs (rule 4.2). The worker is clean again once it has answered; if it does not
     * answer in time, the invoker stays broken and {@link #close()} kills it.
     *
     * @return the function's own failure if it ended with one other than the interrupt or
     *     cancellation (the run attaches it as a later failure, rule 4.3), else {@code why}
     */
    private Throwable stop(Exception why) throws IOException {
        boolean interrupted = Thread.interrupted(); // the link must be able to wait; given back below
        try {
            long deadline = System.nanoTime() + STOP_GRACE_NANOS;
            Throwable failure = why;
            if (broken) {
                if (!worker.interrupt(current)) {
                    return why;
                }
                FrameIn answer = awaitAnswer(deadline);
                if (answer == null) {
                    return why;
                }
                broken = false;
                if (answer.type() == FrameType.FAILED) {
                    Throwable own = failure(answer);
                    // The interrupt or cancellation that this side caused, let through by the function,
                    // stands for nothing of its own: the run ends for the reason it had (which may be a
                    // quiet one: a join that stopped reading abandons the task's output, rule 2.4).
                    failure = own instanceof InterruptedException || own instanceof CancellationException ? why : own;
                }
            }
            if (!skipAhead(deadline)) {
                broken = true;
            }
            return failure;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Has the worker skip every call sent ahead: asks for it (a failure has already made the worker
     * skip them), reads their answers, and sends RESUME. Returns false if they did not all come
     * before {@code deadline} (a {@link System#nanoTime()}, or {@code Long.MAX_VALUE}).
     */
    private boolean skipAhead(long deadline) throws IOException {
        if (ahead.isEmpty()) {
            send(out.begin(FrameType.RESUME));
            return true;
        }
        if (deadline != Long.MAX_VALUE && !worker.interrupt(current + 1)) {
            return false;
        }
        long bound = deadline == Long.MAX_VALUE ? System.nanoTime() + STOP_GRACE_NANOS : deadline;
        while (!ahead.isEmpty()) {
            if (awaitAnswer(bound) == null) {
                return false;
            }
            aheadBytes -= ahead.removeFirst();
            current++;
        }
        send(out.begin(FrameType.RESUME));
        return true;
    }

    /** Reads until the next answer that ends a call (RESULT, DONE, FAILED or SKIPPED), discarding outputs; null if the deadline passes. */
    private FrameIn awaitAnswer(long deadline) throws IOException {
        while (true) {
            FrameIn frame = worker.link().receiveBefore(deadline);
            if (frame == null) {
                return null;
            }
            switch (frame.type()) {
                case FrameType.RESULT, FrameType.DONE, FrameType.FAILED, FrameType.SKIPPED -> {
                    return frame;
                }
                default -> {
                    // an OUTPUT nobody wants now, or a PULL: the worker is being interrupted and waits for no answer
                }
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

    private IllegalArgumentException notSerializable(
            String what, Object value, FrameOut.NotSerializableValueException e) {
        return new IllegalArgumentException(
                "Task '" + task.name() + "': " + what + " of type "
                        + value.getClass().getName() + " cannot be serialized to pass it to the worker process: "
                        + e.getCause(),
                e.getCause());
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

    /** An interrupted call that its worker does not answer in time has its process killed (see {@link #stop}). */
    @Override
    public boolean endsWhenInterrupted() {
        return true;
    }

    @Override
    public boolean usable() {
        return !broken;
    }

    /**
     * Returns a clean worker to the pool; kills a broken one (rule 4.5). Calls sent ahead that the
     * engine no longer makes (the run ended between two calls) are skipped first.
     */
    @Override
    public void close() {
        if (!broken && !ahead.isEmpty()) {
            boolean interrupted = Thread.interrupted();
            try {
                broken = !skipAhead(System.nanoTime() + STOP_GRACE_NANOS);
            } catch (IOException e) {
                broken = true;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        pool.giveBack(worker, !broken);
    }
}
