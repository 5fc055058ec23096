package dev.pyper.process;

import java.io.IOException;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * The entry point of a worker process: {@code java … dev.pyper.process.WorkerMain <socket> <idle-millis>}.
 * Started by the parent with the parent's own {@code java} and class path; not for users.
 *
 * <h2>Output</h2>
 * {@code System.out} is pointed at {@code System.err} before any user code runs, and the parent
 * forwards that stream to its own stderr with the task and worker as a prefix. The frames travel
 * on a socket of their own, so nothing a function prints can corrupt them.
 *
 * <h2>Interrupts</h2>
 * A second connection carries the parent's requests to interrupt an invocation; a watcher thread
 * reads them and interrupts the main thread if that invocation is still running (rule 4.2).
 *
 * <h2>Ending by itself</h2>
 * A worker never outlives its parent: a watcher thread reads standard input, whose other end only
 * the parent holds, and halts the process at its end of file, which the kernel delivers however
 * the parent died (even by SIGKILL); a second watcher polls {@link ProcessHandle#parent()} as a
 * backstop, and ends a worker that has been released to the pool and left idle for longer than
 * its idle timeout.
 */
public final class WorkerMain {

    /** Exit code of a worker whose parent has gone. */
    static final int EXIT_PARENT_GONE = 70;
    /** Exit code of a worker that ran out of memory and could not even report it. */
    static final int EXIT_OUT_OF_MEMORY = 71;

    private static final long WATCH_MILLIS = 500;

    private WorkerMain() {}

    /**
     * Runs a worker.
     *
     * @param args the socket to connect to, and how long to stay idle before ending, in milliseconds
     * @throws IOException if the parent cannot be reached
     */
    public static void main(String[] args) throws IOException {
        System.setOut(System.err);
        if (args.length != 2) {
            System.err.println(
                    "usage: WorkerMain <socket> <idle-millis>: started by the Pyper process executor, not by hand");
            System.exit(2);
        }
        long idleNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[1]));
        InputStream fromParent = System.in;
        System.setIn(
                InputStream.nullInputStream()); // user code that reads stdin must not take the watcher's end of file
        watchStandardInput(fromParent);
        SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(args[0]));
        SocketChannel control = SocketChannel.open(UnixDomainSocketAddress.of(args[0]));
        WorkerSession session = new WorkerSession(new Link(channel));
        watchInterrupts(control, session);
        watchParent(session, idleNanos);
        session.run();
        System.exit(0);
    }

    private static void watchStandardInput(InputStream in) {
        Thread watcher = new Thread(
                () -> {
                    byte[] buffer = new byte[256];
                    try {
                        while (in.read(buffer) >= 0) {
                            // the parent never writes: anything read is ignored
                        }
                    } catch (IOException e) {
                        // the same as the end of the stream: the parent has gone
                    }
                    Runtime.getRuntime().halt(EXIT_PARENT_GONE);
                },
                "pyper-worker-stdin-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Reads the parent's interrupt requests (one invocation number each) and passes them to the session. */
    private static void watchInterrupts(SocketChannel control, WorkerSession session) {
        Thread watcher = new Thread(
                () -> {
                    ByteBuffer request = ByteBuffer.allocate(Long.BYTES);
                    try {
                        while (true) {
                            request.clear();
                            while (request.hasRemaining()) {
                                if (control.read(request) < 0) {
                                    return; // the parent closed it: the link's end of file ends the worker
                                }
                            }
                            session.interrupt(request.flip().getLong());
                        }
                    } catch (IOException e) {
                        // the parent has gone: the link and the stdin watcher end the worker
                    }
                },
                "pyper-worker-interrupt-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void watchParent(WorkerSession session, long idleNanos) {
        ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        Thread watcher = new Thread(
                () -> {
                    while (true) {
                        try {
                            Thread.sleep(WATCH_MILLIS);
                        } catch (InterruptedException e) {
                            return;
                        }
                        if (parent != null && !parent.isAlive()) {
                            Runtime.getRuntime().halt(EXIT_PARENT_GONE);
                        }
                        if (session.idleLongerThan(idleNanos)) {
                            Runtime.getRuntime().halt(0);
                        }
                    }
                },
                "pyper-worker-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
