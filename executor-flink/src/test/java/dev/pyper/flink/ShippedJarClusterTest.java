package dev.pyper.flink;

import static dev.pyper.Task.task;
import static dev.pyper.Task.workers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Pipeline;
import dev.pyper.PipelineException;
import dev.pyper.PipelineRun;
import dev.pyper.RunMetrics;
import dev.pyper.TaskMetrics;
import dev.pyper.flink.shipped.Shipped;
import dev.pyper.flink.shipped.Shipped.Nested;
import dev.pyper.flink.shipped.Shipped.Where;
import dev.pyper.flink.shipped.ShippedFailure;
import dev.pyper.tck.LeakCensus;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The Flink executor as users deploy it: a standalone cluster of separate JVMs on loopback (a
 * JobManager and two TaskManagers of two slots) whose class path has Flink's runtime and Logback
 * only, no Pyper and no class of the tests, and the application as a real jar built by the build
 * ({@code shipped-app.jar}: Pyper and {@code dev.pyper.flink.shipped}), which
 * {@code FlinkExecutor.builder().remote(host, port, jar)} ships through the blob server with every
 * job. Every pipeline here is made by {@link Shipped}: one made here would hold method references
 * that the cluster can only deserialize through this class, which it does not have.
 *
 * <p>In the scale profile ({@code -Pscale}), which builds the class path and the jar.
 */
@EnabledIfSystemProperty(
        named = "pyper.scale",
        matches = "true",
        disabledReason = "a standalone cluster of 3 JVMs: runs with -Pscale")
@Timeout(value = 180)
class ShippedJarClusterTest {

    private static LeakCensus before;
    private static StandaloneCluster cluster;
    private static String jar;

    @BeforeAll
    static void startCluster() throws Exception {
        before = LeakCensus.take();
        jar = StandaloneCluster.shippedJar().toString();
        cluster = StandaloneCluster.flinkOnly(2, 2);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
        assertTrue(
                before.awaitClean(Duration.ofSeconds(10))
                        || before.newProcesses().isEmpty(),
                "a cluster process is left: " + before.newProcesses());
        assertEquals(Set.of(), before.newProcesses(), "no process of the cluster is left behind");
    }

    private static FlinkExecutor remote() {
        return FlinkExecutor.builder()
                .remote("127.0.0.1", cluster.restPort(), jar)
                .build();
    }

    /** Where the functions ran: from the shipped jar, as the blob server delivered it, through Flink's user-code class loader. */
    private static void assertFromTheShippedJar(Where w) {
        assertFalse(
                w.codeSource().contains("test-classes") || w.codeSource().equals(jar), "loaded from " + w.codeSource());
        assertTrue(
                Path.of(w.codeSource()).getFileName().toString().startsWith("blob_"),
                "a jar of the blob cache: " + w.codeSource());
    }

    @Test
    void theClusterHasOnlyFlinkAndLoggingOnItsClassPath() {
        List<String> entries = Arrays.asList(cluster.classPath().split(File.pathSeparator));
        assertTrue(entries.stream().anyMatch(e -> e.contains("flink-runtime")), "Flink's runtime: " + entries);
        assertTrue(entries.stream().anyMatch(e -> e.contains("logback-classic")), "a logging binding: " + entries);
        List<String> foreign = entries.stream()
                .map(e -> Path.of(e).getFileName().toString())
                .filter(name -> !name.endsWith(".jar") || name.contains("pyper") || name.contains("junit"))
                .toList();
        assertEquals(List.of(), foreign, "no Pyper, no test classes, nothing but jars");
    }

    @Test
    void everyOutputOfAMultiTaskPipelineArrivesWithWorkersOnBothTaskManagersAndMetricsExact() throws Exception {
        int n = 300;
        Pipeline<Integer, Where> p = Shipped.spread();
        try (FlinkExecutor flink = remote();
                PipelineRun<Where> run = p.on(flink).start(n)) {
            List<Where> outputs = run.outputs().toList();
            List<Integer> expected = IntStream.range(0, n)
                    .flatMap(x -> IntStream.of(x * 10, x * 10 + 1))
                    .sorted()
                    .boxed()
                    .toList();
            assertEquals(expected, outputs.stream().map(Where::value).sorted().toList(), "every output, once");
            Set<Long> pids = new HashSet<>();
            outputs.forEach(o -> pids.add(o.pid()));
            assertEquals(
                    Set.copyOf(cluster.taskManagerPids()),
                    pids,
                    "the workers ran on both TaskManagers, and only there");
            outputs.forEach(ShippedJarClusterTest::assertFromTheShippedJar);
            assertTrue(
                    outputs.get(0).loader().startsWith("org.apache.flink."),
                    "Flink's user-code class loader: " + outputs.get(0));
            assertFalse(
                    outputs.stream().anyMatch(Where::pyperOnClassPath), "a TaskManager's own class path has no Pyper");

            // rule 8.5: exact once the job has ended, from the TaskManagers' accumulators
            RunMetrics metrics = run.metrics();
            assertTrue(metrics.finished());
            List<TaskMetrics> tasks = metrics.tasks();
            assertEquals(
                    List.of(1L, (long) n, 1L),
                    List.of(
                            tasks.get(0).itemsIn(),
                            tasks.get(0).itemsOut(),
                            tasks.get(0).invocations()));
            assertEquals(
                    List.of((long) n, (long) n, (long) n, 4L),
                    List.of(
                            tasks.get(1).itemsIn(),
                            tasks.get(1).itemsOut(),
                            tasks.get(1).invocations(),
                            (long) tasks.get(1).workers()),
                    "timesTen");
            assertEquals(
                    List.of((long) n, 2L * n, (long) n, 3L),
                    List.of(
                            tasks.get(2).itemsIn(),
                            tasks.get(2).itemsOut(),
                            tasks.get(2).invocations(),
                            (long) tasks.get(2).workers()),
                    "andNext");
            assertEquals(
                    List.of(2L * n, 2L * n, 2L * n, 4L),
                    List.of(
                            tasks.get(3).itemsIn(),
                            tasks.get(3).itemsOut(),
                            tasks.get(3).invocations(),
                            (long) tasks.get(3).workers()),
                    "where");
            for (TaskMetrics t : tasks) {
                assertEquals(0, t.failed(), t.name());
                assertEquals(0, t.busyWorkers(), t.name());
                assertEquals(0, t.buffered(), t.name());
                assertTrue(t.meanTime().compareTo(Duration.ZERO) > 0, t.name());
            }
        }
    }

    @Test
    void theApplicationsOwnExceptionClassReachesTheCaller() {
        Pipeline<Integer, Integer> p = Shipped.failing();
        try (FlinkExecutor flink = remote()) {
            PipelineException e = assertThrows(
                    PipelineException.class,
                    () -> p.on(flink).consume(Stream::toList).apply(100));
            assertEquals("failsOnThirteen", e.taskName());
            assertTrue(e.getMessage().contains("13"), e.getMessage());
            ShippedFailure cause = assertInstanceOf(ShippedFailure.class, e.getCause());
            assertEquals("thirteen", cause.getMessage());
        }
    }

    static int plusTwo(int x) {
        return x + 2;
    }

    @Test
    void aFunctionThatIsNotInTheShippedJarFailsTheRunNamingItsClassAndLeavesTheSlotsFree() throws Exception {
        // a method reference of this class, which the jar lacks: each operator fails to read the plan
        Pipeline<Integer, Integer> p = Shipped.addOne().pipe(task(ShippedJarClusterTest::plusTwo, workers(4)));
        try (FlinkExecutor flink = remote()) {
            PipelineException e =
                    assertThrows(PipelineException.class, () -> p.on(flink).toList(10));
            assertTrue(
                    e.getMessage().contains(ShippedJarClusterTest.class.getName()),
                    "names the missing class: " + e.getMessage());
            assertEquals(
                    List.of(1, 2, 3),
                    Shipped.addOne().on(flink).consume(s -> s.sorted().toList()).apply(3),
                    "the next job gets the four slots");
        }
    }

    @Test
    void closingTheRunCancelsTheJobAndFreesEverySlot() throws Exception {
        // all four slots of the cluster; the next job can only be scheduled once they are free
        Pipeline<Integer, Integer> infinite = Shipped.forever();
        long cancelledBefore = jobStates().stream().filter("CANCELED"::equals).count();
        try (FlinkExecutor flink = remote()) {
            try (Stream<Integer> outputs = infinite.on(flink).stream(0)) {
                assertEquals(5, outputs.limit(5).count());
            }
            // the close returned once the job had ended: the JobManager has it cancelled, and every slot free
            List<String> states = jobStates();
            assertEquals(
                    cancelledBefore + 1,
                    states.stream().filter("CANCELED"::equals).count(),
                    "cancelled: " + states);
            assertEquals(
                    List.of(),
                    states.stream().filter(s -> !TERMINAL.contains(s)).toList(),
                    "no job left running");
            assertEquals(4, overview("slots-available"), cluster.get("/overview"));
            assertEquals(
                    List.of(1, 2, 3),
                    Shipped.addOne().on(flink).consume(s -> s.sorted().toList()).apply(3),
                    "the next job gets the four slots");
        }
    }

    @Test
    void aMultiprocessTaskRunsInWorkerJvmsOfTheTaskManagersThatLoadTheShippedJar() throws Exception {
        Set<Long> taskManagers = Set.copyOf(cluster.taskManagerPids());
        Pipeline<Integer, Where> p = Shipped.whereMultiprocess();
        try (FlinkExecutor flink = remote()) {
            List<Where> outputs = p.on(flink).consume(Stream::toList).apply(200);
            assertEquals(
                    IntStream.range(0, 200).boxed().toList(),
                    outputs.stream().map(Where::value).sorted().toList());
            Set<Long> pids = new HashSet<>();
            Set<Long> parents = new HashSet<>();
            outputs.forEach(o -> {
                pids.add(o.pid());
                parents.add(o.parent());
                assertFromTheShippedJar(o);
                assertTrue(
                        o.loader().contains("AppClassLoader") && o.pyperOnClassPath(),
                        "the worker JVM has the jar on its class path: " + o);
            });
            assertTrue(
                    pids.size() <= 4 && pids.stream().noneMatch(taskManagers::contains),
                    "rule 6.1: worker processes " + pids);
            assertEquals(taskManagers, parents, "started by the subtasks in both TaskManagers");
        }
        awaitNoWorkerProcesses(taskManagers);
    }

    @Test
    void aNestedPipelineRunsInsideATaskOnTheTaskManagers() throws Exception {
        Set<Long> taskManagers = Set.copyOf(cluster.taskManagerPids());
        try (FlinkExecutor flink = remote()) {
            List<Nested> outputs = Shipped.nested(4).on(flink).toList(30);
            assertEquals(30, outputs.size());
            Set<Long> outer = new HashSet<>();
            for (Nested nested : outputs) {
                int k = nested.values().size();
                assertEquals(IntStream.range(0, k).boxed().toList(), nested.values(), "the inner run's every output");
                assertTrue(taskManagers.contains(nested.outerPid()), "the outer task runs in a TaskManager: " + nested);
                if (k > 0) {
                    assertEquals(Set.of(nested.outerPid()), nested.innerPids(), "the inner run ran where its task ran");
                }
                outer.add(nested.outerPid());
            }
            assertEquals(
                    IntStream.range(0, 30).boxed().toList(),
                    outputs.stream().map(x -> x.values().size()).sorted().toList());
            assertEquals(taskManagers, outer, "outer workers on both TaskManagers");
        }
    }

    private static final Set<String> TERMINAL = Set.of("FINISHED", "FAILED", "CANCELED");

    /** The state of every job the JobManager knows. */
    static List<String> jobStates(StandaloneCluster cluster) {
        String jobs = cluster.get("/jobs/overview");
        List<String> states = new ArrayList<>();
        Matcher m = Pattern.compile("\"state\"\\s*:\\s*\"([A-Z]+)\"").matcher(jobs == null ? "" : jobs);
        while (m.find()) {
            states.add(m.group(1));
        }
        return states;
    }

    private static List<String> jobStates() {
        return jobStates(cluster);
    }

    /** A number of the JobManager's {@code /overview}, -1 if it does not answer. */
    static int overview(StandaloneCluster cluster, String field) {
        Matcher m =
                Pattern.compile("\"" + field + "\"\\s*:\\s*(\\d+)").matcher(String.valueOf(cluster.get("/overview")));
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static int overview(String field) {
        return overview(cluster, field);
    }

    /** The operators close their worker processes when the job ends; those end within seconds. */
    private static void awaitNoWorkerProcesses(Set<Long> taskManagers) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (taskManagers.stream()
                .anyMatch(tm -> ProcessHandle.of(tm)
                        .map(h -> h.children().findAny().isPresent())
                        .orElse(false))) {
            assertTrue(System.nanoTime() - deadline < 0, "worker processes left in the TaskManagers");
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }
}
