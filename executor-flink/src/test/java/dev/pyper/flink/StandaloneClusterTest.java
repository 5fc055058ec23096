package dev.pyper.flink;

import static dev.pyper.Task.multiprocess;
import static dev.pyper.Task.workers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Pipeline;
import dev.pyper.PipelineException;
import dev.pyper.PipelineRun;
import dev.pyper.RunMetrics;
import dev.pyper.Task;
import dev.pyper.TaskMetrics;
import dev.pyper.tck.Fixtures;
import dev.pyper.tck.LeakCensus;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Flink executor in remote mode against a real standalone cluster of separate JVMs on
 * loopback: one JobManager and two TaskManagers, started from the test's class path (so no jars
 * need shipping), stopped after the class whatever its outcome, with no process left behind.
 */
@Timeout(value = 150)
class StandaloneClusterTest {

    private static LeakCensus before;
    private static StandaloneCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        before = LeakCensus.take();
        cluster = new StandaloneCluster(2, 2);
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

    /** The item and the process that computed it. */
    record Located(int value, long pid) implements java.io.Serializable {}

    static Located timesTenWhere(int x) {
        return new Located(x * 10, ProcessHandle.current().pid());
    }

    /** The item, the process that computed it, and that process's parent. */
    record Isolated(int value, long pid, long parent) implements java.io.Serializable {}

    static Isolated timesTenIsolated(int x) {
        ProcessHandle me = ProcessHandle.current();
        return new Isolated(
                x * 10, me.pid(), me.parent().map(ProcessHandle::pid).orElse(-1L));
    }

    static int exitsOnSeven(int x) {
        if (x == 7) {
            System.exit(3);
        }
        return x;
    }

    /** An exception class of the test's own, to show that the caller gets the user's class back. */
    static final class RemoteBoom extends Exception {
        private static final long serialVersionUID = 1L;

        RemoteBoom(String message) {
            super(message);
        }
    }

    static int failsOnThirteen(int x) throws RemoteBoom {
        if (x == 13) {
            throw new RemoteBoom("thirteen");
        }
        return x;
    }

    @Test
    void aTaskWithFourWorkersRunsOnBothTaskManagersAndEveryOutputArrives() throws Exception {
        Pipeline<Integer, Located> p =
                Task.branch(Fixtures::range).pipe(Task.task(StandaloneClusterTest::timesTenWhere, workers(4)));
        try (FlinkExecutor flink = FlinkExecutor.builder()
                        .remote("127.0.0.1", cluster.restPort())
                        .build();
                PipelineRun<Located> run = p.on(flink).start(200)) {
            List<Located> outputs = run.outputs().toList();
            assertEquals(
                    IntStream.range(0, 200).map(x -> x * 10).boxed().toList(),
                    outputs.stream().map(Located::value).sorted().toList(),
                    "every output, once");
            Set<Long> pids = new HashSet<>();
            outputs.forEach(o -> pids.add(o.pid()));
            assertEquals(
                    Set.copyOf(cluster.taskManagerPids()),
                    pids,
                    "the workers ran on both TaskManagers, and only there");
            // rule 8.5: the TaskManagers' counters reach the caller, exact once the job has ended
            RunMetrics metrics = run.metrics();
            assertTrue(metrics.finished());
            TaskMetrics source = metrics.tasks().get(0);
            TaskMetrics times10 = metrics.tasks().get(1);
            assertEquals(
                    List.of(1L, 200L, 1L), List.of(source.itemsIn(), source.itemsOut(), source.invocations()), "range");
            assertEquals(
                    List.of(200L, 200L, 200L, 0L),
                    List.of(times10.itemsIn(), times10.itemsOut(), times10.invocations(), times10.failed()),
                    "timesTenWhere");
            assertEquals(4, times10.workers());
            for (TaskMetrics t : metrics.tasks()) {
                assertEquals(0, t.busyWorkers(), t.name());
                assertEquals(0, t.buffered(), t.name());
                assertTrue(t.meanTime().compareTo(Duration.ZERO) > 0, t.name());
            }
        }
    }

    @Test
    void aMultiprocessTaskRunsInWorkerProcessesOfBothTaskManagersAndAnExitFailsOnlyTheRun() throws Exception {
        Set<Long> taskManagers = Set.copyOf(cluster.taskManagerPids());
        Pipeline<Integer, Isolated> p = Task.branch(Fixtures::range)
                .pipe(Task.task(StandaloneClusterTest::timesTenIsolated, workers(4), multiprocess()));
        try (FlinkExecutor flink =
                FlinkExecutor.builder().remote("127.0.0.1", cluster.restPort()).build()) {
            List<Isolated> outputs = p.on(flink).consume(Stream::toList).apply(200);
            assertEquals(
                    IntStream.range(0, 200).map(x -> x * 10).boxed().toList(),
                    outputs.stream().map(Isolated::value).sorted().toList(),
                    "every output, once");
            Set<Long> pids = new HashSet<>();
            Set<Long> parents = new HashSet<>();
            outputs.forEach(o -> {
                pids.add(o.pid());
                parents.add(o.parent());
            });
            assertTrue(
                    pids.size() <= 4
                            && pids.stream().noneMatch(taskManagers::contains)
                            && !pids.contains(ProcessHandle.current().pid()),
                    "rule 6.1: worker processes " + pids);
            assertEquals(taskManagers, parents, "started by the subtasks in both TaskManagers");

            // rule 6.4: the worker process exits, the TaskManager does not; the run fails naming the task and the
            // status
            Pipeline<Integer, Integer> exits = Task.branch(Fixtures::range)
                    .pipe(Task.task(StandaloneClusterTest::exitsOnSeven, workers(2), multiprocess()));
            PipelineException e = assertThrows(
                    PipelineException.class,
                    () -> exits.on(flink).consume(Stream::toList).apply(20));
            assertEquals("exitsOnSeven", e.taskName());
            assertTrue(
                    (e.getMessage() + " " + e.getCause()).contains("3"),
                    "names the exit status: " + e + " / " + e.getCause());
            taskManagers.forEach(pid -> assertTrue(
                    ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                    "TaskManager " + pid + " lives on"));
            assertEquals(
                    List.of(1, 2, 3),
                    Task.branch(Fixtures::range)
                            .pipe(Task.task(Fixtures::addOne, workers(4)))
                            .on(flink)
                            .consume(s -> s.sorted().toList())
                            .apply(3),
                    "the cluster runs the next job");
        }
    }

    @Test
    void closingAStreamEarlyCancelsTheRemoteJobAndFreesItsSlots() throws Exception {
        // the four slots of the cluster: the second job can only be scheduled once the first has really gone
        Pipeline<Integer, Integer> infinite =
                Task.generator(Fixtures::countForever).pipe(Task.task(Fixtures::addOne, workers(4)));
        try (FlinkExecutor flink =
                FlinkExecutor.builder().remote("127.0.0.1", cluster.restPort()).build()) {
            try (Stream<Integer> outputs = infinite.on(flink).stream(0)) {
                assertEquals(5, outputs.limit(5).count());
            }
            List<Integer> next = Task.branch(Fixtures::range)
                    .pipe(Task.task(Fixtures::addOne, workers(4)))
                    .on(flink)
                    .consume(s -> s.sorted().toList())
                    .apply(3);
            assertEquals(List.of(1, 2, 3), next);
        }
    }

    /** An output that Java serialization refuses. */
    record Opaque(int value) {}

    static Opaque opaque(int x) {
        return new Opaque(x);
    }

    @Test
    void anOutputThatCannotBeSerializedFailsTheRemoteRunNamingItsTypeAndTheTask() {
        // rules 2.2 and 6.3: the TaskManagers are other JVMs, so outputs cross by serialization (the embedded cluster
        // hands such a value over by reference, and the kit's rule 2.2 test passes there)
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(StandaloneClusterTest::opaque))
                .pipe(Task.task(Opaque::value));
        try (FlinkExecutor flink =
                FlinkExecutor.builder().remote("127.0.0.1", cluster.restPort()).build()) {
            PipelineException e = assertThrows(
                    PipelineException.class,
                    () -> p.on(flink).consume(Stream::toList).apply(3));
            assertEquals("opaque", e.taskName());
            assertTrue((e.getMessage() + " " + e.getCause()).contains(Opaque.class.getName()), "names the type: " + e);
            assertTrue(flink.unsupportedRules().containsKey("2.2"), "a remote output must serialize: declared");
            assertTrue(
                    flink.unsupportedRules().containsKey("8.3"),
                    "a remote join cannot stop the tasks before it: declared");
        }
    }

    @Test
    void aFailureReachesTheCallerAsTheUsersOwnExceptionNamingTheTask() {
        Pipeline<Integer, Integer> p =
                Task.branch(Fixtures::range).pipe(Task.task(StandaloneClusterTest::failsOnThirteen, workers(2)));
        try (FlinkExecutor flink =
                FlinkExecutor.builder().remote("127.0.0.1", cluster.restPort()).build()) {
            PipelineException e = assertThrows(
                    PipelineException.class,
                    () -> p.on(flink).consume(Stream::toList).apply(100));
            assertEquals("failsOnThirteen", e.taskName());
            assertTrue(e.getMessage().contains("13"), e.getMessage());
            RemoteBoom cause = assertInstanceOf(RemoteBoom.class, e.getCause());
            assertEquals("thirteen", cause.getMessage());
        }
        try (FlinkExecutor flink = FlinkExecutor.builder()
                        .remote("127.0.0.1", cluster.restPort())
                        .build();
                PipelineRun<Integer> run = p.on(flink).start(100)) {
            assertThrows(PipelineException.class, () -> run.outputs().toList());
            TaskMetrics failing = run.metrics().tasks().get(1);
            assertEquals(1, failing.failed(), "the failed invocation is counted: " + failing);
        }
    }
}
