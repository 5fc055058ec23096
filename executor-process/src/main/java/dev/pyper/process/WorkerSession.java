package dev.pyper.process;

import dev.pyper.Emitter;
import dev.pyper.spi.TaskSpec.Kind;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The worker side of the conversation in {@link FrameType}: loads a task's function, then runs
 * one invocation per CALL or JOIN frame, on the worker's main thread.
 *
 * <p>When the link fails the parent has gone or given up on this worker: the process halts at
 * once, whatever user code is doing, since nobody is left to receive its outputs.
 */
final class WorkerSession {

    private final Link link;
    private final FrameOut out = new FrameOut();
    private final ClassLoader loader = ClassLoader.getSystemClassLoader();
    private final Emitter<Object> emitter = this::emit;
    private TaskCall task;
    private boolean acks;
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
            } catch (IOException | InterruptedException e) {
                throw linkBroken(e);
            }
            switch (frame.type()) {
                case FrameType.LOAD -> load(frame);
                case FrameType.CALL -> call(frame);
                case FrameType.JOIN -> join();
                case FrameType.RELEASE -> {
                    task = null;
                    releasedAt = System.nanoTime();
                }
                default -> throw new IllegalStateException("unexpected frame " + FrameType.name(frame.type()));
            }
        }
    }

    private void load(FrameIn frame) {
        releasedAt = 0;
        String name = frame.getString();
        Kind kind = Kind.values()[frame.getInt()];
        acks = frame.getBoolean();
        try {
            task = new TaskCall(name, kind, frame.getValue(loader));
        } catch (Throwable t) {
            task = null;
            fail(t);
            return;
        }
        send(out.begin(FrameType.READY));
    }

    private void call(FrameIn frame) {
        try {
            invoke(frame.getValue(loader));
        } catch (Throwable t) {
            fail(t);
        }
    }

    private void join() {
        try (Stream<Object> input = StreamSupport.stream(new ParentItems(), false)) {
            invoke(input);
        } catch (Throwable t) {
            fail(t);
        }
    }

    /** Runs one invocation and answers how it ended: RESULT for a one-result function, else DONE after the outputs. */
    private void invoke(Object input) throws Exception {
        if (task.hasOneResult()) {
            result(task.apply(input));
        } else {
            task.call(input, emitter);
            send(out.begin(FrameType.DONE));
        }
    }

    private void result(Object value) {
        send(withValue(out.begin(FrameType.RESULT), value));
    }

    private void emit(Object value) {
        send(withValue(out.begin(FrameType.OUTPUT), value));
        if (acks) {
            expect(FrameType.ACK);
        }
    }

    /** Adds an output to a frame; one that cannot cross fails the function (rule 6.3). */
    private FrameOut withValue(FrameOut frame, Object value) {
        try {
            return frame.putValue(value);
        } catch (FrameOut.NotSerializableValueException e) {
            throw new IllegalArgumentException("Task '" + task.name() + "': an output of type " + value.getClass().getName()
                    + " cannot be serialized to pass it back to the parent process: " + e.getCause(), e.getCause());
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
                out.begin(FrameType.FAILED).putBoolean(false).putString(t.getClass().getName())
                        .putString(String.valueOf(t.getMessage())).putString(trace.toString());
            }
            send(out);
        } catch (OutOfMemoryError stillOut) {
            Runtime.getRuntime().halt(WorkerMain.EXIT_OUT_OF_MEMORY);
        }
    }

    private void send(FrameOut frame) {
        try {
            link.send(frame.end());
        } catch (IOException | InterruptedException e) {
            throw linkBroken(e);
        }
    }

    private FrameIn expect(byte type) {
        try {
            FrameIn frame = link.receive();
            if (frame.type() != type) {
                throw new IllegalStateException("expected frame " + FrameType.name(type) + ", got " + FrameType.name(frame.type()));
            }
            return frame;
        } catch (IOException | InterruptedException e) {
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
            send(out.begin(FrameType.PULL));
            FrameIn reply;
            try {
                reply = link.receive();
            } catch (IOException | InterruptedException e) {
                throw linkBroken(e);
            }
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
                throw new IllegalStateException("Task '" + task.name() + "': an input cannot be read in the worker process: " + e, e);
            }
            action.accept(item);
            return true;
        }
    }
}
