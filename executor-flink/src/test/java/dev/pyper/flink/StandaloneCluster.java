package dev.pyper.flink;

import java.io.File;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real standalone Flink cluster on loopback for tests: one JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and some TaskManagers ({@code TaskManagerRunner}),
 * each a JVM of its own, with free ports and a private folder for configuration and logs.
 *
 * <p>Its JVMs run either from the test's own class path ({@link #StandaloneCluster(int, int)}:
 * Pyper and the test's classes are there already, nothing needs shipping) or, as users deploy
 * Flink, from a class path of Flink's runtime and a logging binding only
 * ({@link #flinkOnly(int, int)}): then the application reaches the cluster only as the
 * jar that {@code FlinkExecutor.builder().remote(host, port, jar)} ships through the blob server.
 *
 * <p>{@link #close()} kills every process it started, and their descendants, and waits until they
 * have ended; a cluster that fails to start is closed before the constructor throws. Use it in
 * try-with-resources so that no process is left behind, whatever the test's outcome.
 */
final class StandaloneCluster implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    /** The system property, set by this module's scale profile, of the folder with the files below. */
    static final String FILES_PROPERTY = "pyper.standalone.dir";

    private final Path home;
    private final Path conf;
    private final String classPath;
    private final boolean ownLogging;
    private final int restPort;
    private final List<Process> processes = new ArrayList<>();
    /** The TaskManagers started, by resource id, in order; a killed one stays here. */
    private final Map<String, Process> taskManagers = new LinkedHashMap<>();
    /** Kills the processes if the test JVM itself is stopped before {@link #close()}. */
    private final Thread killOnExit = new Thread(this::kill, "pyper-standalone-cluster-kill");
    /** The processes that a test killed on purpose. */
    private final List<Process> killed = new ArrayList<>();

    /**
     * Starts a cluster from the test's class path and waits until every TaskManager has registered.
     *
     * @param taskManagers how many TaskManagers
     * @param slotsPerTaskManager slots of each
     */
    StandaloneCluster(int taskManagers, int slotsPerTaskManager) throws IOException {
        this(taskManagers, slotsPerTaskManager, System.getProperty("java.class.path"), false);
    }

    /**
     * Starts a cluster whose JVMs have only Flink's runtime and Logback on their class path, as
     * this module's scale profile resolves them ({@link #flinkRuntimeClassPath()}), and waits until
     * every TaskManager has registered. The JVMs log at {@code INFO} into files of the cluster's
     * folder, whose last lines {@link #outputs()} shows.
     *
     * @param taskManagers how many TaskManagers
     * @param slotsPerTaskManager slots of each
     */
    static StandaloneCluster flinkOnly(int taskManagers, int slotsPerTaskManager) throws IOException {
        return new StandaloneCluster(taskManagers, slotsPerTaskManager, flinkRuntimeClassPath(), true);
    }

    /**
     * Flink's runtime (this module's compile and runtime dependencies but Pyper's own) and
     * Logback, from the files that the scale profile writes.
     *
     * @throws IllegalStateException if they are missing: the build ran without {@code -Pscale}
     */
    static String flinkRuntimeClassPath() throws IOException {
        Path dir = builtFiles();
        return Files.readString(dir.resolve("flink.classpath")).strip()
                + File.pathSeparator
                + Files.readString(dir.resolve("logging.classpath")).strip();
    }

    /** The application jar that the scale profile builds: Pyper and the functions of {@code dev.pyper.flink.shipped}. */
    static Path shippedJar() {
        return builtFiles().resolve("shipped-app.jar");
    }

    private static Path builtFiles() {
        String dir = System.getProperty(FILES_PROPERTY);
        if (dir == null
                || !Files.isRegularFile(Path.of(dir, "flink.classpath"))
                || !Files.isRegularFile(Path.of(dir, "shipped-app.jar"))) {
            throw new IllegalStateException(
                    "the Flink-only class path and the shipped jar are built by the scale profile"
                            + " (./mvnw -Pscale -pl executor-flink -am verify); " + FILES_PROPERTY + " is " + dir);
        }
        return Path.of(dir);
    }

    private StandaloneCluster(int taskManagers, int slotsPerTaskManager, String classPath, boolean ownLogging)
            throws IOException {
        home = Files.createTempDirectory("pyper-flink-standalone-");
        this.classPath = classPath;
        this.ownLogging = ownLogging;
        Runtime.getRuntime().addShutdownHook(killOnExit);
        try {
            restPort = freePort();
            conf = Files.createDirectories(home.resolve("conf"));
            if (ownLogging) {
                Files.writeString(
                        conf.resolve("logback.xml"),
                        String.join(
                                "\n",
                                "<configuration>",
                                "  <appender name=\"FILE\" class=\"ch.qos.logback.core.FileAppender\">",
                                "    <file>${log.file}</file>",
                                "    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg%n</pattern></encoder>",
                                "  </appender>",
                                "  <root level=\"INFO\"><appender-ref ref=\"FILE\"/></root>",
                                "</configuration>",
                                ""));
            }
            List<String> lines = List.of(
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
                    "");
            Files.writeString(conf.resolve("config.yaml"), String.join("\n", lines));
            processes.add(start(
                    "jobmanager",
                    "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                    "--configDir",
                    conf.toString()));
            for (int i = 1; i <= taskManagers; i++) {
                startTaskManager("taskmanager-" + i);
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

    /** The process ids of the TaskManagers that are alive. */
    List<Long> taskManagerPids() {
        return taskManagers.values().stream()
                .filter(Process::isAlive)
                .map(Process::pid)
                .toList();
    }

    /** The process of a TaskManager started here, by its resource id ({@code taskmanager-1} …). */
    Process taskManager(String resourceId) {
        Process p = taskManagers.get(resourceId);
        if (p == null) {
            throw new IllegalArgumentException("no TaskManager " + resourceId + " in " + taskManagers.keySet());
        }
        return p;
    }

    /** The class path of the cluster's JVMs. */
    String classPath() {
        return classPath;
    }

    /**
     * Starts one more TaskManager, with the given resource id; {@link #awaitTaskManagers} waits
     * until it has registered.
     */
    void startTaskManager(String resourceId) throws IOException {
        if (taskManagers.containsKey(resourceId)) {
            throw new IllegalArgumentException("a TaskManager " + resourceId + " was started already");
        }
        Process tm = start(
                resourceId,
                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                "--configDir",
                conf.toString(),
                "-Dtaskmanager.resource-id=" + resourceId);
        processes.add(tm);
        taskManagers.put(resourceId, tm);
    }

    private Process start(String name, String mainClass, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(
                List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-Dlog.file=" + home.resolve(name + ".log")));
        if (ownLogging) {
            command.add("-Dlogback.configurationFile=" + conf.resolve("logback.xml"));
        }
        // in the environment, so that no command line grows with the class path
        command.add(mainClass);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(home.resolve(name + ".out").toFile());
        builder.environment().put("CLASSPATH", classPath);
        return builder.start();
    }

    /**
     * Waits until exactly {@code expected} TaskManagers are registered with the JobManager: after
     * a start, until the new ones have come; after a kill, until the JobManager has dropped the
     * dead one.
     *
     * @throws IllegalStateException if a JVM of the cluster that was not killed ended, or after
     *     {@link #START_TIMEOUT}
     */
    void awaitTaskManagers(int expected) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Pattern registered = Pattern.compile("\"taskmanagers\"\\s*:\\s*(\\d+)");
        while (true) {
            for (Process p : processes) {
                if (!p.isAlive() && !killed.contains(p)) {
                    throw new IllegalStateException("a cluster process ended with status " + p.exitValue()
                            + " while starting; its" + " output:\n" + outputs());
                }
            }
            String overview = get("/overview");
            Matcher m = registered.matcher(overview == null ? "" : overview);
            if (m.find() && Integer.parseInt(m.group(1)) == expected) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the standalone cluster did not register " + expected
                        + " TaskManagers within " + START_TIMEOUT + "; last overview: " + overview + "\n" + outputs());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    /**
     * Kills a TaskManager with SIGKILL ({@link Process#destroyForcibly()}, no shutdown hook runs)
     * and waits until its process has ended; its worker processes, if any, are left to notice.
     */
    void kill(String resourceId) throws InterruptedException {
        Process tm = taskManager(resourceId);
        killed.add(tm);
        tm.destroyForcibly();
        if (!tm.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("TaskManager " + resourceId + " did not end 30 s after SIGKILL");
        }
    }

    /** The body of a GET on the REST endpoint, or null if it does not answer. */
    String get(String path) {
        try {
            HttpURLConnection c = (HttpURLConnection)
                    URI.create("http://127.0.0.1:" + restPort + path).toURL().openConnection();
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
            for (Path f : files.filter(
                            p -> p.toString().endsWith(".out") || p.toString().endsWith(".log"))
                    .sorted()
                    .toList()) {
                List<String> lines = Files.readAllLines(f);
                b.append("--- ").append(f.getFileName()).append('\n');
                lines.subList(Math.max(0, lines.size() - 30), lines.size())
                        .forEach(l -> b.append(l).append('\n'));
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
                    throw new IllegalStateException(
                            "cluster process " + p.pid() + " did not end 30 s after it was killed");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping the standalone cluster", e);
            }
        }
        if (Boolean.getBoolean("pyper.standalone.keep")) {
            System.err.println("StandaloneCluster: kept " + home + " (-Dpyper.standalone.keep=true)");
            return;
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
