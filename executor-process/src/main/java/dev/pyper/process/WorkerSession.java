package dev.pyper.process;

import dev.pyper.Emitter;
import dev.pyper.function.ThrowingFunction;
import dev.pyper.spi.ContextPropagator;
import dev.pyper.spi.TaskSpec;
import dev.pyper.spi.TaskSpec.Kind;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The worker side of the conversation in {@link FrameType}: loads a task's function, then runs
 * one invocation per CALL or JOIN frame, on the worker's main thread.
 *
 * <h2>Interrupts and skipped calls</h2>
 * Calls may arrive ahead of time (see {@link FrameType}); they run one after the other. When the
 * parent's run is cancelled or fails, the parent asks (on the control connection) to interrupt
 * the running invocation, by its number, and the calls after it are skipped; so are those after a
 * failed invocation. The main thread is then interrupted, as an engine worker thread would be
 * (rule 4.2): a function blocked in a sleep or a wait ends, and every later emit or pull of that
 * invocation throws {@link CancellationException} (rule 4.4).
 * The function's answer still goes to the parent, which waits for it, so the worker stays clean.
 * A request for an invocation that has already ended does nothing, and an invocation's interrupt
 * never outlives it. The parent sends nothing more on the link after such a request until the
 * invocation has answered, except an ACK, ITEM or END it had sent before: those are skipped.
 *
 * <h2>Context</h2>
 * LOAD carries the run's context (rule 8.8): what the parent's thread had when it opened this
 * worker for the task, in the form that {@link ContextPropagator#fromCarried} reads. It is
 * restored around each invocation and cleared after it, so a warm worker that serves another run
 * next sees only that run's context.
 *
 * <p>When the link fails the parent has gone or given up on this worker: the process halts at
 * once, whatever user code is doing, since nobody is left to receive its outputs.
 */
final class WorkerSession {

    private final Link link;
    private final FrameOut out = new FrameOut();
    private final ClassLoader loader = ClassLoader.getSystemClassLoader();
    private final Emitter<Object> emitter = this::emit;
    private final Thread main = Thread.currentThread();
    /** Guards the numbering, {@code invoking} and {@code cancelled} between the main thread and the interrupt watcher. */
    private final Object interrupts = new Object();

    private TaskSpec task;
    /** The run's context, restored around each invocation of the task (rule 8.8); sent with LOAD. */
    private ContextPropagator.Captured context = ContextPropagator.Captured.NONE;

    private boolean acks;
    /** CALL and JOIN frames received in this worker's life: the parent counts the same, to name an invocation. */
    private long invocation;
    /** Calls numbered this or more are answered SKIPPED, not invoked: set by an interrupt or a failure, cleared by RESUME and LOAD. */
    private long skipFrom = Long.MAX_VALUE;
    /** Interrupt requests for calls numbered below this are void: they came too late. */
    private long resumeFrom = 1;

    private boolean invoking;
    /** Set when the parent interrupted the running invocation: its emits and pulls end it (rule 4.4). */
    private boolean cancelled;
    /**
     * When this worker was last released to the pool; 0 while it holds a task, and before its
     * first task (a fresh worker is about to get one; on a loaded machine that may take a while).
     */
    private volatile long releasedAt;

    WorkerSession(Link link) {
        this.link = link;
    }

    /** Whether this worker has been idle in the pool for longer than {@code nanos}. */
    boolean idleLongerThan(long nanos) {
        long since = releasedAt;
        return since != 0 && System.nanoTime() - since > nanos;
    }

    /** Serves frames until the parent closes the link. */
    void run() {
        while (true) {
            FrameIn frame;
            try {
                frame = link.receive();
            } catch (EOFException e) {
                return;
            } catch (InterruptedException e) {
                continue; // not from the parent, which interrupts only invocations: nothing to end
            } catch (IOException e) {
                throw linkBroken(e);
            }
            switch (frame.type()) {
                case FrameType.LOAD -> load(frame);
                case FrameType.CALL -> call(frame);
                case FrameType.JOIN -> join();
                case FrameType.ACK, FrameType.ITEM, FrameType.END -> {
                    // an answer that the parent sent before it interrupted the invocation that asked for it
                }
                case FrameType.RESUME -> resume();
                case FrameType.RELEASE -> {
                    task = null;
                    context = ContextPropagator.Captured.NONE;
                    releasedAt = System.nanoTime();
                }
                default -> throw new IllegalStateException("unexpected frame " + FrameType.name(frame.type()));
            }
        }
    }

    @SuppressWarnings("EnumOrdinal") // the wire format numbers the kinds by ordinal; both ends are this version
    private void load(FrameIn frame) {
        releasedAt = 0;
        resume();
        String name = frame.getString();
        Kind kind = Kind.values()[frame.getInt()];
        acks = frame.getBoolean();
        try {
            // the parent checked it when the task was made (rule 1.5); only its name, kind and function travel
            task = new TaskSpec(name, kind, (Serializable) frame.getValue(loader), 1, 0, true, false);
            context = ContextPropagator.installed().fromCarried((byte[]) frame.getValue(loader));
        } catch (Throwable t) {
            task = null;
            context = ContextPropagator.Captured.NONE;
            fail(t);
            return;
        }
        send(out.begin(FrameType.READY));
    }

    /**
     * Asks the main thread to interrupt invocation number {@code n}, if it is still running; called
     * by the interrupt watcher.
     */
    void interrupt(long n) {
        synchronized (interrupts) {
            if (n < resumeFrom) {
                return; // a request that crossed the end of its invocation and a RESUME
            }
            skipFrom = Math.min(skipFrom, n);
            if (invoking && invocation >= n) {
                cancelled = true;
                main.interrupt();
            }
        }
    }

    /** Ends skipping: the parent has read every answer; requests for the calls so far are void. */
    private void resume() {
        synchronized (interrupts) {
            skipFrom = Long.MAX_VALUE;
            resumeFrom = invocation + 1;
        }
    }

    /** Numbers a new call; false if it is to be skipped, with SKIPPED sent. */
    private boolean beginInvocation() {
        synchronized (interrupts) {
            invocation++;
            if (invocation < skipFrom) {
                invoking = true;
                cancelled = false;
                return true;
            }
        }
        send(out.begin(FrameType.SKIPPED));
        return false;
    }

    /** After a failed invocation the calls sent after it are skipped (rule 4.2). */
    private void failed(Throwable t) {
        synchronized (interrupts) {
            skipFrom = Math.min(skipFrom, invocation + 1);
        }
        fail(t);
    }

    /** Ends the invocation: no interrupt of it arrives any more, and none is left set. */
    private void endInvocation() {
        synchronized (interrupts) {
            invoking = false;
        }
        Thread.interrupted();
    }

    private boolean cancelled() {
        synchronized (interrupts) {
            return cancelled;
        }
    }

    private void call(FrameIn frame) {
        if (!beginInvocation()) {
            return;
        }
        try (ContextPropagator.Scope scope = context.restore()) {
            invoke(frame.getValue(loader));
        } catch (Throwable t) {
            endInvocation();
            failed(t);
        }
    }

    private void join() {
        if (!beginInvocation()) {
            return;
        }
        try (ContextPropagator.Scope scope = context.restore();
                Stream<Object> input = StreamSupport.stream(new ParentItems(), false)) {
            invoke(input);
        } catch (Throwable t) {
            endInvocation();
            failed(t);
        }
    }

    /** Runs one invocation and answers how it ended: RESULT for a one-result function, else DONE after the outputs. */
    private void invoke(Object input) throws Exception {
        if (task.kind() == Kind.TASK || task.kind() == Kind.JOIN) { // one result: one RESULT frame
            @SuppressWarnings({"unchecked", "rawtypes"})
            Object value = ((ThrowingFunction) task.function()).apply(input);
            FrameOut result = withValue(out.begin(FrameType.RESULT), value);
            endInvocation();
            send(result);
        } else {
            task.invoke(input, emitter); // rules 2.3, 2.4: every output passed on as it is made
            endInvocation();
            send(out.begin(FrameType.DONE));
        }
    }

    private void emit(Object value) {
        if (cancelled()) {
            throw new CancellationException("the run of task '" + task.name() + "' was cancelled");
        }
        send(withValue(out.begin(FrameType.OUTPUT), value));
        if (acks) {
            FrameIn ack = answer();
            if (ack.type() != FrameType.ACK) {
                throw new IllegalStateException("expected frame ACK, got " + FrameType.name(ack.type()));
            }
        }
    }

    /** Adds an output to a frame; one that cannot cross fails the function (rule 6.3). */
    private FrameOut withValue(FrameOut frame, Object value) {
        try {
            return frame.putValue(value);
        } catch (FrameOut.NotSerializableValueException e) {
            throw new IllegalArgumentException(
                    "Task '" + task.name() + "': an output of type "
                            + value.getClass().getName()
                            + " cannot be serialized to pass it back to the parent process: " + e.getCause(),
                    e.getCause());
        }
    }

    /** Reports a failure; the exception itself where it can be serialized, else its text (rule 4.1). */
    private void fail(Throwable t) {
        try {
            FrameOut frame = out.begin(FrameType.FAILED);
            try {
                frame.putBoolean(true).putValue(t);
            } catch (FrameOut.NotSerializableValueException notSerializable) {
                StringWriter trace = new StringWriter();
                t.printStackTrace(new PrintWriter(trace));
                out.begin(FrameType.FAILED)
                        .putBoolean(false)
                        .putString(t.getClass().getName())
                        .putString(String.valueOf(t.getMessage()))
                        .putString(trace.toString());
            }
            send(out);
        } catch (OutOfMemoryError stillOut) {
            Runtime.getRuntime().halt(WorkerMain.EXIT_OUT_OF_MEMORY);
        }
    }

    private void send(FrameOut frame) {
        try {
            link.send(frame.end());
        } catch (IOException e) {
            throw linkBroken(e);
        }
    }

    /** Waits for the parent's answer within an invocation; an interrupt from the parent ends the wait with {@link CancellationException}. */
    private FrameIn answer() {
        try {
            return link.receive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // kept, as the engine's emitter keeps it
            throw (CancellationException)
                    new CancellationException("the run of task '" + task.name() + "' was cancelled").initCause(e);
        } catch (IOException e) {
            throw linkBroken(e);
        }
    }

    /** The parent has gone or given up on this worker: nobody is left to report to. */
    private static Error linkBroken(Exception e) {
        Runtime.getRuntime().halt(WorkerMain.EXIT_PARENT_GONE);
        return new AssertionError("unreachable", e);
    }

    /** A join's input: each item asked of the parent when the function wants it (rule 2.4), so an infinite input works. */
    private final class ParentItems extends Spliterators.AbstractSpliterator<Object> {
        private boolean ended;

        ParentItems() {
            super(Long.MAX_VALUE, Spliterator.ORDERED);
        }

        @Override
        public boolean tryAdvance(Consumer<? super Object> action) {
            if (ended) {
                return false;
            }
            if (cancelled()) {
                throw new CancellationException("the run of task '" + task.name() + "' was cancelled");
            }
            send(out.begin(FrameType.PULL));
            FrameIn reply = answer();
            if (reply.type() == FrameType.END) {
                ended = true;
                return false;
            }
            if (reply.type() != FrameType.ITEM) {
                throw new IllegalStateException("expected frame ITEM or END, got " + FrameType.name(reply.type()));
            }
            Object item;
            try {
                item = reply.getValue(loader);
            } catch (IOException e) {
                throw new IllegalStateException(
                        "Task '" + task.name() + "': an input cannot be read in the worker process: " + e, e);
            }
            action.accept(item);
            return true;
        }
    }
}
