package dev.pyper.process;

import dev.pyper.spi.Uninterruptibly;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * One end of the private link between the parent and a worker process: a Unix-domain socket,
 * carrying the frames that {@link FrameOut} builds.
 *
 * <h2>Waiting and cancellation</h2>
 * A thread waiting for the other side sleeps in the kernel ({@link Selector#select()}), which
 * costs no processor time while the other side works. (Spinning before sleeping was measured: it
 * wins on an idle machine and loses badly on a loaded one, where the spinning threads take the
 * cores that the other side needs.) The channel is non-blocking and waits go through a selector
 * of its own, because a blocking channel is <em>closed</em> by an interrupt: this way an interrupt
 * wakes {@link #receive} with {@link InterruptedException} and leaves the link open and whole (a
 * partly read frame stays buffered), so that the parent can still tell the worker to stop its
 * invocation and hear how it ended (rule 4.2). {@link #send} finishes its frame whatever happens
 * and keeps the caller's interrupt for later: a half-sent frame would break the conversation.
 *
 * <p>Not thread-safe: one thread at a time uses a link (the worker thread that owns it).
 */
final class Link implements Closeable {

    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024).flip();
    /** Frames queued by {@link #sendLater}, written by the next {@link #flush} or {@link #send}. */
    private ByteBuffer outbox = ByteBuffer.allocateDirect(64 * 1024);

    Link(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        this.key = channel.register(selector, 0);
    }

    /** Writes the queued frames and then this one, waiting while the other side's buffer is full; an interrupt meanwhile is kept for the caller. */
    void send(ByteBuffer frame) throws IOException {
        if (outbox.position() > 0) {
            sendLater(frame);
            flush();
        } else {
            write(frame);
        }
    }

    /** Queues a whole frame, to go out with others in one write at the next {@link #flush()} or {@link #send}. */
    void sendLater(ByteBuffer frame) {
        if (outbox.remaining() < frame.remaining()) {
            ByteBuffer bigger =
                    ByteBuffer.allocateDirect(Math.max(outbox.capacity() * 2, outbox.position() + frame.remaining()));
            bigger.put(outbox.flip());
            outbox = bigger;
        }
        outbox.put(frame);
    }

    /** Writes the queued frames. */
    void flush() throws IOException {
        if (outbox.position() > 0) {
            outbox.flip();
            try {
                write(outbox);
            } finally {
                outbox.clear();
            }
        }
    }

    private void write(ByteBuffer frame) throws IOException {
        channel.write(frame);
        if (!frame.hasRemaining()) {
            return; // the common case: the other side's buffer had room
        }
        // the frame is finished whatever happens; an interrupt meanwhile is kept for the caller
        Uninterruptibly.until(() -> {
            while (frame.hasRemaining()) {
                if (channel.write(frame) == 0 && waitFor(SelectionKey.OP_WRITE, 0)) {
                    throw new InterruptedException("kept for the caller until the frame is out");
                }
            }
            return true;
        });
    }

    /**
     * Waits for the next frame.
     *
     * @return the frame, valid until the next call
     * @throws EOFException if the other side has closed the link (its process ended)
     * @throws InterruptedException if the calling thread is interrupted while waiting; the link stays usable
     */
    FrameIn receive() throws IOException, InterruptedException {
        return receive(0);
    }

    /**
     * Waits for the next frame until {@code deadline} (a {@link System#nanoTime()}); interrupts
     * meanwhile are ignored and cleared.
     *
     * @return the frame, valid until the next call; null if none came in time
     * @throws EOFException if the other side has closed the link
     */
    FrameIn receiveBefore(long deadline) throws IOException {
        try {
            return receive(deadline | 1);
        } catch (InterruptedException cannotHappen) {
            throw new AssertionError(cannotHappen);
        }
    }

    /** {@code deadline} 0: none, and an interrupt ends the wait. */
    private FrameIn receive(long deadline) throws IOException, InterruptedException {
        if (!fill(4, deadline)) {
            return null;
        }
        int length = in.getInt(in.position());
        if (length < 1) {
            throw new IOException("corrupt frame: length " + length);
        }
        if (!fill(4 + length, deadline)) {
            return null;
        }
        in.position(in.position() + 4);
        byte type = in.get();
        ByteBuffer payload = in.slice(in.position(), length - 1);
        in.position(in.position() + length - 1);
        return new FrameIn(type, payload);
    }

    /** Reads until at least {@code needed} bytes are buffered; false if the deadline (when not 0) passed first. */
    private boolean fill(int needed, long deadline) throws IOException, InterruptedException {
        if (in.remaining() >= needed) {
            return true;
        }
        if (in.capacity() < needed) {
            ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(needed, in.capacity() * 2));
            bigger.put(in).flip();
            in = bigger;
        }
        in.compact();
        try {
            while (in.position() < needed) {
                int n = channel.read(in);
                if (n < 0) {
                    throw new EOFException("the link was closed by the other side");
                }
                if (n == 0) {
                    if (deadline == 0) {
                        if (waitFor(SelectionKey.OP_READ, 0)) {
                            throw new InterruptedException("interrupted while waiting for the other process");
                        }
                    } else {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            return false;
                        }
                        waitFor(SelectionKey.OP_READ, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                    }
                }
            }
            return true;
        } finally {
            in.flip();
        }
    }

    /** Sleeps until the channel is ready for {@code ops}, or the thread is interrupted; returns (and clears) the interrupt. */
    private boolean waitFor(int ops, long timeoutMillis) throws IOException {
        key.interestOps(ops);
        selector.select(timeoutMillis);
        selector.selectedKeys().clear();
        return Thread.interrupted();
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }
}
