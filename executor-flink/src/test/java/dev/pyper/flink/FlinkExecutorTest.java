package dev.pyper.flink;

import static dev.pyper.Task.named;
import static dev.pyper.Task.workers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Pipeline;
import dev.pyper.PipelineException;
import dev.pyper.PipelineExecutor;
import dev.pyper.Task;
import dev.pyper.tck.Fixtures;
import dev.pyper.tck.Tck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the Flink executor promises beyond the kit: its modes, its checks and its clean-up. */
@Timeout(120)
class FlinkExecutorTest {

    @Test
    void closingAStreamEarlyCancelsTheJobAndFreesItsSlots() throws Exception {
        // two slots in all: a second job that needs both can only run once the first has really gone
        try (FlinkExecutor flink = FlinkExecutor.builder().embedded(1, 2).build()) {
            Pipeline<Integer, Integer> infinite =
                    Task.generator(Fixtures::countForever).pipe(Task.task(Fixtures::addOne, workers(2)));
            try (Stream<Integer> outputs = infinite.on(flink).stream(0)) {
                assertEquals(5, outputs.limit(5).count());
            }
            Pipeline<Integer, Integer> wide =
                    Task.branch(Fixtures::range).pipe(Task.task(Fixtures::times2, workers(2)));
            CompletableFuture<List<Integer>> next = CompletableFuture.supplyAsync(() -> {
                try (Stream<Integer> outputs = wide.on(flink).stream(4)) {
                    return outputs.sorted().toList();
                }
            });
            assertEquals(List.of(0, 2, 4, 6), next.get(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void anIdleExecutorStopsItsOwnClusterAndStartsItAgainForTheNextRun() throws Exception {
        try (FlinkExecutor flink = FlinkExecutor.builder()
                .embedded(1, 1)
                .idleTimeout(Duration.ofMillis(200))
                .build()) {
            Pipeline<Integer, Integer> p = Task.task(Fixtures::addOne);
            assertEquals(List.of(2), p.on(flink).consume(Stream::toList).apply(1));
            Tck.eventually(() -> !flink.embeddedCluster().isRunning(), "the idle cluster has stopped");
            assertEquals(List.of(3), p.on(flink).consume(Stream::toList).apply(2));
        }
    }

    @Test
    @SuppressWarnings("ReturnValueIgnored") // findFirst() reads 501 inputs; its value is not the point
    void aJoinThatReturnsEarlyEndsTheTasksBeforeItQuietlyAndAFailingJoinFailsTheRun() throws Exception {
        try (FlinkExecutor flink = FlinkExecutor.builder().embedded(2, 2).build()) {
            // rule 8.3: the join reads three of 100,000 items (more than its hand-over queue and Flink's buffers hold)
            Pipeline<Integer, Integer> early = Task.branch(Fixtures::range)
                    .pipe(Task.join(
                            in -> in.limit(3).mapToInt(Integer::intValue).sum()));
            assertEquals(List.of(3), early.on(flink).consume(Stream::toList).apply(100_000));
            // and before an infinite producer: once each of 3 join workers has returned, the tasks before them stop
            Pipeline<Integer, Long> forever = Task.generator(Fixtures::countForever)
                    .pipe(Task.task(Fixtures::addOne, workers(2)))
                    .pipe(Task.join((Stream<Integer> in) -> in.limit(2).count(), workers(3)));
            assertEquals(
                    List.of(2L, 2L, 2L),
                    forever.on(flink).consume(Stream::toList).apply(0));
            // rule 2.4 across two TaskManagers: each of 3 join workers gets its share, every item exactly once
            Pipeline<Integer, Integer> shared = Task.branch(Fixtures::range).pipe(Task.join(Fixtures::sum, workers(3)));
            assertEquals(
                    499_500,
                    shared.on(flink)
                            .consume(s -> s.mapToInt(Integer::intValue).sum())
                            .apply(1000));
            IllegalStateException boom = new IllegalStateException("join failed");
            Pipeline<Integer, Integer> failing = Task.branch(Fixtures::range)
                    .pipe(Task.join(
                            in -> {
                                in.skip(500).findFirst();
                                throw boom;
                            },
                            named("failingJoin")));
            PipelineException e = assertThrows(
                    PipelineException.class,
                    () -> failing.on(flink).consume(Stream::toList).apply(1000));
            assertEquals("failingJoin", e.taskName());
            assertTrue(e.getCause() == boom, "the user's own exception: " + e.getCause());
        }
    }

    @Test
    void aTaskWithMoreWorkersThanSlotsIsRefusedNamingIt() {
        try (FlinkExecutor flink = FlinkExecutor.builder().embedded(1, 2).build()) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> Task.branch(Fixtures::range)
                            .pipe(Task.task(Fixtures::addOne, workers(3), named("tooWide")))
                            .on(flink)
                            .stream(1));
            assertTrue(e.getMessage().contains("tooWide") && e.getMessage().contains("2 slots"), e.getMessage());
        }
    }

    @Test
    void badSettingsFailNamingTheOption() {
        assertMessage(
                assertThrows(
                        IllegalArgumentException.class,
                        () -> FlinkExecutor.builder().embedded(0, 1)),
                "taskManagers");
        assertMessage(
                assertThrows(
                        IllegalArgumentException.class,
                        () -> FlinkExecutor.builder().embedded(1, 0)),
                "slotsPerTaskManager");
        assertMessage(
                assertThrows(
                        IllegalArgumentException.class,
                        () -> FlinkExecutor.builder().remote(" ", 8081)),
                "host");
        assertMessage(
                assertThrows(
                        IllegalArgumentException.class,
                        () -> FlinkExecutor.builder().remote("h", 0)),
                "port");
        assertMessage(
                assertThrows(
                        IllegalArgumentException.class,
                        () -> FlinkExecutor.builder().bufferTimeout(Duration.ofMillis(-1))),
                "bufferTimeout");
        assertMessage(
                assertThrows(
                        IllegalArgumentException.class,
                        () -> FlinkExecutor.builder().sharedCluster(null)),
                "sharedCluster");
        assertMessage(
                assertThrows(
                        IllegalArgumentException.class,
                        () -> FlinkExecutor.builder().idleTimeout(Duration.ZERO)),
                "idleTimeout");
    }

    @Test
    void systemPropertiesChooseTheMode() {
        System.setProperty(SystemProperties.REMOTE, "example.invalid:9");
        try (FlinkExecutor flink = FlinkExecutor.builder().build()) {
            assertEquals("FlinkExecutor[remote example.invalid:9]", flink.toString());
            assertTrue(flink.unsupportedRules().containsKey("2.6")
                    && !flink.unsupportedRules().containsKey("6"));
        } finally {
            System.clearProperty(SystemProperties.REMOTE);
        }
        System.setProperty(SystemProperties.REMOTE, "no-port");
        try {
            assertMessage(assertThrows(IllegalArgumentException.class, FlinkExecutor::builder), "pyper.flink.remote");
        } finally {
            System.clearProperty(SystemProperties.REMOTE);
        }
    }

    @Test
    void aRemoteRunRefusesAFunctionThatCannotBeShipped() {
        Object notSerializable = new Object();
        try (FlinkExecutor flink =
                FlinkExecutor.builder().remote("127.0.0.1", 9).build()) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> Task.task((Integer x) -> notSerializable.hashCode() + x, named("capturesAnObject"))
                                    .on(flink)
                                    .stream(1));
            assertMessage(e, "capturesAnObject");
        }
    }

    @Test
    void itIsRegisteredBelowTheInJvmExecutors() {
        assertTrue(PipelineExecutor.available().contains(FlinkExecutor.NAME));
        assertTrue(
                new FlinkExecutorProvider().priority() < 10,
                "never the default when another executor is on the class path");
    }

    @Test
    void anEmbeddedClusterDeletesItsTemporaryFolderOnClose() throws Exception {
        Set<Path> before = flinkTempFolders();
        try (FlinkExecutor flink = FlinkExecutor.builder().embedded(1, 1).build()) {
            assertEquals(
                    List.of(2),
                    Task.task(Fixtures::times2)
                            .on(flink)
                            .consume(Stream::toList)
                            .apply(1));
            assertTrue(flinkTempFolders().size() > before.size(), "the running cluster has a folder of its own");
        }
        assertEquals(before, flinkTempFolders());
    }

    private static Set<Path> flinkTempFolders() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            // Flink's REST endpoint makes flink-web-<id> and flink-web-upload here unless told otherwise
            return files.filter(p -> p.getFileName().toString().startsWith("pyper-flink-")
                                    && !p.getFileName().toString().startsWith("pyper-flink-standalone-")
                            || p.getFileName().toString().startsWith("flink-"))
                    .collect(Collectors.toSet());
        }
    }

    private static void assertMessage(Throwable e, String part) {
        assertTrue(
                e.getMessage() != null && e.getMessage().contains(part),
                "expected '" + part + "' in: " + e.getMessage());
    }
}
