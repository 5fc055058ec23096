package dev.pyper.process;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;

/**
 * One end of the private link between the parent and a worker process: a Unix-domain socket,
 * carrying the frames that {@link FrameOut} builds.
 *
 * <h2>Waiting and cancellation</h2>
 * The channel blocks: a thread waiting for the other side sleeps in the kernel, which costs one
 * system call per read, and costs no processor time while the other side works. (Spinning before
 * sleeping was measured: it wins on an idle machine and loses badly on a loaded one, where the
 * spinning threads take the cores that the other side needs.) A socket channel is interruptible:
 * when the engine interrupts a worker thread to cancel a run, a blocked {@link #receive} or
 * {@link #send} wakes at once with {@link InterruptedException}, and the link is closed by that;
 * the worker process on the other side is then in an unknown state and is killed.
 *
 * <p>Not thread-safe: one thread at a time uses a link (the worker thread that owns it).
 */
final class Link implements Closeable {

    private final SocketChannel channel;
    private ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024).flip();

    Link(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(true);
    }

    /** Writes one whole frame, waiting while the other side's buffer is full. */
    void send(ByteBuffer frame) throws IOException, InterruptedException {
        try {
            while (frame.hasRemaining()) {
                channel.write(frame);
            }
        } catch (ClosedByInterruptException e) {
            throw interrupted(e);
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
            ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(needed, in.capacity() * 2));
            bigger.put(in).flip();
            in = bigger;
        }
        in.compact();
        try {
            while (in.position() < needed) {
                if (channel.read(in) < 0) {
                    throw new EOFException("the link was closed by the other side");
                }
            }
        } catch (ClosedByInterruptException e) {
            throw interrupted(e);
        } finally {
            in.flip();
        }
    }

    private static InterruptedException interrupted(ClosedByInterruptException cause) {
        Thread.interrupted(); // the exception carries the interrupt from here on
        return (InterruptedException) new InterruptedException("interrupted while waiting for the other process").initCause(cause);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
