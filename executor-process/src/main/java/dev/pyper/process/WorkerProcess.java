package dev.pyper.process;

import dev.pyper.spi.Uninterruptibly;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The parent's handle on one worker JVM: the process, its private link, and the thread that
 * forwards its output.
 *
 * <h2>Starting</h2>
 * The worker runs the parent's own {@code java} binary with the parent's class path, and the jars
 * of a user-code class loader if any ({@link WorkerOptions#classPathOf}), passed in
 * {@code CLASSPATH}, so that no command line grows with it. It connects to a Unix-domain socket
 * in a fresh directory that only this user can enter, twice: first the link for frames, then a
 * control connection on which the parent asks it to interrupt an invocation ({@link #interrupt}).
 * The socket file and directory are deleted as soon as the worker has connected, so both are
 * private to the two processes.
 *
 * <h2>Output</h2>
 * The worker's stdout and stderr are one stream, which a daemon thread copies line by line to the
 * parent's stderr, prefixed with {@code [pyper task 'name' worker n, pid p]}; the last lines are
 * kept to explain a death. The thread ends when the process does.
 *
 * <h2>Ending</h2>
 * {@link #kill()} ends the process by force and waits for it, for its output thread, and closes
 * the link; {@link #requestEnd()} and {@link #awaitEnd()} let an idle worker exit by itself first. The worker's stdin stays open, unused, until then: its end of file tells the worker
 * that the parent has gone.
 */
final class WorkerProcess {

    private static final int LAST_LINES = 8;
    private static final long GRACE_MILLIS = 1000;

    private final Process process;
    private final Link link;
    /** The second connection, on which the parent asks the worker to interrupt an invocation. */
    private final SocketChannel control;

    private final ByteBuffer interruptRequest = ByteBuffer.allocate(Long.BYTES);
    /** CALL and JOIN frames sent over the link in its life: the worker counts the same, to name an invocation. */
    private long callsSent;

    private final OutputStream parentAlive;
    private final Thread forwarder;
    private final ArrayDeque<String> lastLines = new ArrayDeque<>();
    private volatile String label;
    /** Written by the thread that holds the worker; read under the pool's lock after a hand-over under it. */
    private String lastCode;

    private WorkerProcess(Process process, Link link, SocketChannel control, Thread forwarder, String label)
            throws IOException {
        this.process = process;
        this.link = link;
        this.control = control;
        control.configureBlocking(false); // an interrupt never closes a non-blocking channel
        this.parentAlive = process.getOutputStream();
        this.forwarder = forwarder;
        this.label = label;
    }

    /**
     * Starts a worker and waits until it has connected.
     *
     * @param label names the worker in its output prefix, such as {@code task 'parse' worker 2}
     * @throws IOException if it cannot be started or does not connect in time
     * @throws InterruptedException if interrupted while waiting; the process is then killed
     */
    static WorkerProcess start(WorkerOptions options, String label) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(
                "pyper-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path socket = dir.resolve("link");
        Process process = null;
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                Selector selector = Selector.open()) {
            server.bind(UnixDomainSocketAddress.of(socket));
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            ProcessBuilder builder = new ProcessBuilder(command(options, socket)).redirectErrorStream(true);
            builder.environment().put("CLASSPATH", options.classPath());
            process = builder.start();
            Holder holder = new Holder();
            Thread forwarder = forward(process, holder);
            SocketChannel channel = accept(server, selector, process, options);
            SocketChannel control = accept(server, selector, process, options); // the worker connects the link first
            WorkerProcess worker = new WorkerProcess(process, new Link(channel), control, forwarder, label);
            holder.worker = worker;
            return worker;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            if (process != null) {
                process.destroyForcibly();
                Uninterruptibly.waitFor(process);
            }
            throw e;
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    private static List<String> command(WorkerOptions options, Path socket) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(options.jvmArgs());
        command.add(WorkerMain.class.getName());
        command.add(socket.toString());
        command.add(Long.toString(options.idleTimeout().toMillis()));
        return command;
    }

    private static SocketChannel accept(
            ServerSocketChannel server, Selector selector, Process process, WorkerOptions options)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + options.startTimeout().toNanos();
        while (true) {
            SocketChannel channel = server.accept();
            if (channel != null) {
                return channel;
            }
            if (!process.isAlive()) {
                throw new IOException("the worker process (pid " + process.pid() + ") ended with code "
                        + process.exitValue() + " before it connected");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("the worker process (pid " + process.pid() + ") did not connect within "
                        + options.startTimeout());
            }
            selector.select(50);
            selector.selectedKeys().clear();
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while a worker process started");
            }
        }
    }

    /** Lets the output thread find its worker (for the label) once the worker exists. */
    private static final class Holder {
        volatile WorkerProcess worker;
    }

    private static Thread forward(Process process, Holder holder) {
        PrintStream parentErr = System.err;
        Thread thread = new Thread(
                () -> {
                    try (BufferedReader lines = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                            WorkerProcess worker = holder.worker;
                            String prefix = worker == null ? "starting" : worker.label;
                            parentErr.println("[pyper " + prefix + ", pid " + process.pid() + "] " + line);
                            if (worker != null) {
                                worker.remember(line);
                            }
                        }
                    } catch (IOException e) {
                        // the process has gone: nothing more to forward
                    }
                },
                "pyper-process-" + process.pid() + "-output");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void remember(String line) {
        synchronized (lastLines) {
            if (lastLines.size() == LAST_LINES) {
                lastLines.removeFirst();
            }
            lastLines.addLast(line);
        }
    }

    Link link() {
        return link;
    }

    /**
     * Counts one more CALL or JOIN frame sent; used by the one invoker that holds the worker.
     *
     * @return its number, from 1 over the worker's life
     */
    long countCall() {
        return ++callsSent;
    }

    /**
     * Asks the worker to interrupt its invocation number {@code invocation} (see
     * {@link #countCall()}) or a later one, whichever runs when the request arrives, and to skip
     * the calls after it until RESUME (rule 4.2).
     *
     * @return false if the request could not be sent (the worker has gone)
     */
    boolean interrupt(long invocation) {
        interruptRequest.clear().putLong(invocation).flip();
        try {
            for (int tries = 0; interruptRequest.hasRemaining() && tries < 1000; tries++) {
                control.write(interruptRequest);
            }
            return !interruptRequest.hasRemaining();
        } catch (IOException e) {
            return false;
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Records which code the worker runs now (see {@link WorkerPool}); used by the one thread that holds it. */
    void ranCode(String code) {
        this.lastCode = code;
    }

    /** The code that the worker ran last, or null. */
    String lastCode() {
        return lastCode;
    }

    /** Renames the worker in its output prefix, when it is taken for another task. */
    void label(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /**
     * Explains how the process ended, after its link broke: waits a little for it to end, since
     * the link closes just before the process does.
     */
    WorkerProcessException died(String taskName, Throwable linkFailure) {
        Integer code = Uninterruptibly.waitFor(process, 5, TimeUnit.SECONDS) ? process.exitValue() : null;
        Uninterruptibly.until(() -> {
            forwarder.join(1000); // its last lines may explain the death
            return true;
        });
        String how = code == null ? "stopped answering" : describeExit(code);
        String last;
        synchronized (lastLines) {
            last = lastLines.isEmpty() ? "" : "; its last output: " + String.join(" | ", lastLines);
        }
        return new WorkerProcessException(
                "The worker process (pid " + process.pid() + ") of task '" + taskName + "' " + how + last,
                process.pid(),
                code,
                linkFailure);
    }

    static String describeExit(int code) {
        return switch (code) {
            case WorkerMain.EXIT_OUT_OF_MEMORY -> "ran out of memory (exit code " + code + ")";
            case 128 + 9 -> "was killed by signal 9 (SIGKILL) (exit code 137)";
            case 128 + 15 -> "was killed by signal 15 (SIGTERM) (exit code 143)";
            default ->
                code > 128 && code < 128 + 65
                        ? "was killed by signal " + (code - 128) + " (exit code " + code + ")"
                        : "exited with code " + code;
        };
    }

    /** Ends the process by force and waits for it and its output thread; keeps the caller's interrupt. */
    void kill() {
        process.destroyForcibly();
        awaitEnd();
    }

    /**
     * Asks an idle worker to end: closes the link, at whose end of file the worker exits normally,
     * with its output flushed. Returns at once; {@link #awaitEnd()} waits.
     */
    void requestEnd() {
        try {
            link.close();
            control.close();
        } catch (IOException e) {
            process.destroyForcibly();
        }
    }

    /**
     * Waits for the process to end, by force after {@value #GRACE_MILLIS} ms, then for its output
     * thread; closes what is left. Keeps the caller's interrupt.
     */
    void awaitEnd() {
        try {
            if (!process.waitFor(GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly(); // an interrupted caller does not wait out the grace
            Thread.currentThread().interrupt(); // kept: the waits below go on and set it again
        }
        Uninterruptibly.waitFor(process);
        Uninterruptibly.join(forwarder);
        try {
            link.close();
            control.close();
            parentAlive.close();
        } catch (IOException e) {
            // closing what is already dead
        }
    }
}
