package dev.pyper.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pyper.Pipeline;
import dev.pyper.PipelineException;
import dev.pyper.flink.shipped.Shipped;
import dev.pyper.flink.shipped.Shipped.Where;
import dev.pyper.tck.LeakCensus;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A TaskManager of a standalone cluster (Flink's runtime only on its class path, the application
 * shipped as a jar) killed with SIGKILL while a run whose workers are on both TaskManagers is
 * under way.
 *
 * <p>The caller's next pull throws a {@link PipelineException} that names the lost TaskManager:
 * no hang, no silent short result (rule 8.7's spirit). The run does not survive: jobs run without
 * Flink's restarts, and a restart could not give the caller every output exactly once (the root
 * README says why). The JobManager fails the job and frees it, the surviving TaskManager lives
 * on, and once a TaskManager is back the next run completes on both.
 *
 * <p>In the scale profile ({@code -Pscale}), which builds the class path and the jar.
 */
@EnabledIfSystemProperty(
        named = "pyper.scale",
        matches = "true",
        disabledReason = "a standalone cluster of 3 JVMs: runs with -Pscale")
@Timeout(value = 300)
class TaskManagerLossTest {

    /** How long the caller may wait, after the kill, for the run's failure. */
    private static final Duration FAILS_WITHIN = Duration.ofSeconds(60);

    @Test
    void aTaskManagerKilledMidRunFailsTheRunNamingItAndTheNextRunSucceedsOnceOneIsBack() throws Exception {
        LeakCensus before = LeakCensus.take();
        String jar = StandaloneCluster.shippedJar().toString();
        int items =
                1_000_000; // 5 ms each on four workers: some 20 minutes, so the run is under way when the kill comes
        try (StandaloneCluster cluster = StandaloneCluster.flinkOnly(2, 2);
                FlinkExecutor flink = FlinkExecutor.builder()
                        .remote("127.0.0.1", cluster.restPort(), jar)
                        .build()) {
            long survivor = cluster.taskManager("taskmanager-1").pid();
            long lost = cluster.taskManager("taskmanager-2").pid();
            Pipeline<Integer, Where> p = Shipped.slow();

            int received = 0;
            long killedAt = 0;
            PipelineException failure = null;
            try (Stream<Where> outputs = p.on(flink).stream(items)) {
                Iterator<Where> it = outputs.iterator();
                Set<Long> seen = new HashSet<>();
                while (it.hasNext()) {
                    seen.add(it.next().pid());
                    received++;
                    if (killedAt == 0 && received >= 200 && seen.equals(Set.of(survivor, lost))) {
                        cluster.kill("taskmanager-2");
                        killedAt = System.nanoTime();
                    }
                }
                fail("the run ended normally after " + received + " of " + items + " outputs, with a TaskManager lost");
            } catch (PipelineException e) {
                failure = e;
            }
            Duration toFailure = Duration.ofNanos(System.nanoTime() - killedAt);
            assertTrue(killedAt != 0, "the run failed before the kill: " + failure);
            System.out.printf(
                    "TaskManagerLossTest: %d outputs, then %s, %d ms after the kill%n",
                    received, failure, toFailure.toMillis());
            assertTrue(toFailure.compareTo(FAILS_WITHIN) < 0, "the failure came " + toFailure + " after the kill");
            assertTrue(received < items, "a short result is no result");
            String message = failure.getMessage();
            // Flink names the lost TaskManager in its network error or its heartbeat's, except when
            // the survivor's own send to it fails first: then the job's cause is only that socket's error
            assertTrue(
                    message.contains("taskmanager-2")
                            || message.contains("Broken pipe")
                            || message.contains("Connection reset"),
                    "names the lost TaskManager, or the socket that reached it: " + message);
            assertEquals(null, failure.taskName(), "no task failed: the cluster did");

            // the JobManager has failed the job (no restart) and dropped the dead TaskManager; the survivor lives on
            await(
                    () -> ShippedJarClusterTest.jobStates(cluster).equals(List.of("FAILED")),
                    "the job FAILED: " + cluster.get("/jobs/overview"));
            cluster.awaitTaskManagers(1);
            System.out.printf(
                    "TaskManagerLossTest: the JobManager dropped the lost TaskManager %d ms after the kill%n",
                    (System.nanoTime() - killedAt) / 1_000_000);
            assertTrue(
                    ProcessHandle.of(survivor).map(ProcessHandle::isAlive).orElse(false),
                    "the other TaskManager lives on");
            await(
                    () -> ShippedJarClusterTest.overview(cluster, "slots-available") == 2,
                    "its slots are free: " + cluster.get("/overview"));

            // a TaskManager is back: the next run gets all four slots, on both
            cluster.startTaskManager("taskmanager-3");
            cluster.awaitTaskManagers(2);
            long back = cluster.taskManager("taskmanager-3").pid();
            List<Where> next = Shipped.where().on(flink).toList(200);
            assertEquals(
                    IntStream.range(0, 200).boxed().toList(),
                    next.stream().map(Where::value).sorted().toList(),
                    "every output");
            assertEquals(
                    Set.of(survivor, back),
                    Set.copyOf(next.stream().map(Where::pid).toList()),
                    "on the survivor and the new one");
        }
        assertTrue(
                before.awaitClean(Duration.ofSeconds(10))
                        || before.newProcesses().isEmpty(),
                "left: " + before.newProcesses());
        assertEquals(Set.of(), before.newProcesses(), "no process of the cluster is left behind");
    }

    private static void await(BooleanSupplier condition, Object what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within 90 s: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }
}
