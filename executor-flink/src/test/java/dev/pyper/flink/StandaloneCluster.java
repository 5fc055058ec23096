package dev.pyper.flink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real standalone Flink cluster on loopback for tests: one JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and some TaskManagers ({@code TaskManagerRunner}),
 * each a JVM of its own started from the test's class path, with free ports and a private folder
 * for configuration and logs.
 *
 * <p>{@link #close()} kills every process it started, and their descendants, and waits until they
 * have ended; a cluster that fails to start is closed before the constructor throws. Use it in
 * try-with-resources so that no process is left behind, whatever the test's outcome.
 */
final class StandaloneCluster implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path home;
    private final int restPort;
    private final List<Process> processes = new ArrayList<>();
    private final List<Process> taskManagers = new ArrayList<>();
    /** Kills the processes if the test JVM itself is stopped before {@link #close()}. */
    private final Thread killOnExit = new Thread(this::kill, "pyper-standalone-cluster-kill");

    /**
     * Starts the cluster and waits until every TaskManager has registered.
     *
     * @param taskManagers how many TaskManagers
     * @param slotsPerTaskManager slots of each
     */
    StandaloneCluster(int taskManagers, int slotsPerTaskManager) throws IOException {
        home = Files.createTempDirectory("pyper-flink-standalone-");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        try {
            restPort = freePort();
            Path conf = Files.createDirectories(home.resolve("conf"));
            Files.writeString(conf.resolve("config.yaml"), String.join("\n",
                    "jobmanager.rpc.address: 127.0.0.1",
                    "jobmanager.rpc.port: " + freePort(),
                    "jobmanager.bind-host: 127.0.0.1",
                    "jobmanager.memory.process.size: 512m",
                    "taskmanager.host: 127.0.0.1",
                    "taskmanager.bind-host: 127.0.0.1",
                    "taskmanager.numberOfTaskSlots: " + slotsPerTaskManager,
                    "taskmanager.cpu.cores: 1",
                    "taskmanager.memory.task.heap.size: 128m",
                    "taskmanager.memory.task.off-heap.size: 0m",
                    "taskmanager.memory.managed.size: 0m",
                    "taskmanager.memory.framework.heap.size: 64m",
                    "taskmanager.memory.framework.off-heap.size: 64m",
                    "taskmanager.memory.jvm-metaspace.size: 128m",
                    "taskmanager.memory.jvm-overhead.min: 64m",
                    "taskmanager.memory.jvm-overhead.max: 64m",
                    "taskmanager.memory.network.min: 32m",
                    "taskmanager.memory.network.max: 32m",
                    "cluster.evenly-spread-out-slots: true",
                    "rest.address: 127.0.0.1",
                    "rest.bind-address: 127.0.0.1",
                    "rest.port: " + restPort,
                    "security.delegation.tokens.enabled: false",
                    "io.tmp.dirs: " + Files.createDirectories(home.resolve("tmp")),
                    "web.tmpdir: " + home.resolve("web"),
                    "web.upload.dir: " + home.resolve("web-upload"),
                    ""));
            processes.add(start("jobmanager", "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                    "--configDir", conf.toString()));
            for (int i = 1; i <= taskManagers; i++) {
                Process tm = start("taskmanager-" + i, "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                        "--configDir", conf.toString(), "-Dtaskmanager.resource-id=taskmanager-" + i);
                processes.add(tm);
                this.taskManagers.add(tm);
            }
            awaitTaskManagers(taskManagers);
        } catch (IOException | RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** The JobManager's REST port on 127.0.0.1. */
    int restPort() {
        return restPort;
    }

    /** The process ids of the TaskManagers. */
    List<Long> taskManagerPids() {
        return taskManagers.stream().map(Process::pid).toList();
    }

    private Process start(String name, String mainClass, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-Dlog.file=" + home.resolve(name + ".log"), "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(home.resolve(name + ".out").toFile())
                .start();
    }

    private void awaitTaskManagers(int expected) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Pattern registered = Pattern.compile("\"taskmanagers\"\\s*:\\s*(\\d+)");
        while (true) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a cluster process ended with status " + p.exitValue() + " while starting; its"
                            + " output:\n" + outputs());
                }
            }
            String overview = get("/overview");
            Matcher m = registered.matcher(overview == null ? "" : overview);
            if (m.find() && Integer.parseInt(m.group(1)) >= expected) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the standalone cluster did not register " + expected + " TaskManagers within "
                        + START_TIMEOUT + "; last overview: " + overview + "\n" + outputs());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    /** The body of a GET on the REST endpoint, or null if it does not answer yet. */
    private String get(String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + restPort + path).toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(2000);
            try (InputStream in = c.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } finally {
                c.disconnect();
            }
        } catch (IOException notYet) {
            return null;
        }
    }

    /** The last lines of every process's output, for failure messages. */
    String outputs() {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> files = Files.list(home)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".out")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                b.append("--- ").append(f.getFileName()).append('\n');
                lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(l -> b.append(l).append('\n'));
            }
        } catch (IOException e) {
            b.append("(could not read the outputs: ").append(e).append(")");
        }
        return b.toString();
    }

    /** Kills every process of the cluster and its descendants, waits for them, deletes the folder. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException exiting) {
            // the JVM is exiting: the hook kills them
        }
        kill();
        for (Process p : processes) {
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("cluster process " + p.pid() + " did not end 30 s after it was killed");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping the standalone cluster", e);
            }
        }
        try (Stream<Path> files = Files.walk(home)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + home, e);
        }
    }

    private void kill() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
