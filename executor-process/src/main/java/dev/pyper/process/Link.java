package dev.pyper.process;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * One end of the private link between the parent and a worker process: a Unix-domain socket,
 * carrying the frames that {@link FrameOut} builds.
 *
 * <h2>Waiting</h2>
 * The channel is non-blocking. A side that waits for the other first spins for a few tens of
 * microseconds, retrying the read, because the reply to a small item usually comes back within
 * that time and a sleeping thread takes longer than that to wake; only then does it sleep in a
 * {@link Selector}. Sleeping in a selector (rather than in a blocking read) keeps the wait
 * interruptible without closing the channel: when the engine interrupts a worker thread to cancel
 * a run, {@link #receive} and {@link #send} throw {@link InterruptedException} at once.
 *
 * <p>Not thread-safe: one thread at a time uses a link (the worker thread that owns it).
 */
final class Link implements Closeable {

    /** How long a waiting side retries before it sleeps: about one round trip of a small item. */
    private static final long SPIN_NANOS = 50_000;

    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private ByteBuffer in = ByteBuffer.allocate(64 * 1024).flip();

    Link(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        this.key = channel.register(selector, 0);
    }

    /** Writes one whole frame, waiting while the other side's buffer is full. */
    void send(ByteBuffer frame) throws IOException, InterruptedException {
        while (frame.hasRemaining()) {
            if (channel.write(frame) == 0) {
                await(SelectionKey.OP_WRITE);
            }
        }
    }

    /**
     * Waits for the next frame.
     *
     * @return the frame, valid until the next call
     * @throws EOFException if the other side has closed the link (its process ended)
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    FrameIn receive() throws IOException, InterruptedException {
        fill(4);
        int length = in.getInt(in.position());
        if (length < 1) {
            throw new IOException("corrupt frame: length " + length);
        }
        fill(4 + length);
        in.position(in.position() + 4);
        byte type = in.get();
        ByteBuffer payload = in.slice(in.position(), length - 1);
        in.position(in.position() + length - 1);
        return new FrameIn(type, payload);
    }

    /** Reads until at least {@code needed} bytes are buffered. */
    private void fill(int needed) throws IOException, InterruptedException {
        if (in.remaining() >= needed) {
            return;
        }
        if (in.capacity() < needed) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(needed, in.capacity() * 2));
            bigger.put(in).flip();
            in = bigger;
        }
        in.compact();
        try {
            long spinUntil = 0;
            while (in.position() < needed) {
                int n = channel.read(in);
                if (n < 0) {
                    throw new EOFException("the link was closed by the other side");
                }
                if (n == 0) {
                    long now = System.nanoTime();
                    if (spinUntil == 0) {
                        spinUntil = now + SPIN_NANOS;
                    }
                    if (now - spinUntil < 0) {
                        Thread.onSpinWait();
                    } else {
                        await(SelectionKey.OP_READ);
                    }
                }
            }
        } finally {
            in.flip();
        }
    }

    private void await(int op) throws IOException, InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        key.interestOps(op);
        try {
            selector.select(); // returns when ready, or at once when the thread is interrupted
            selector.selectedKeys().clear();
        } finally {
            key.interestOps(0);
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
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
