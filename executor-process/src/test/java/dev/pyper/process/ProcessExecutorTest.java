package dev.pyper.process;

import static dev.pyper.Task.named;
import static dev.pyper.Task.ordered;
import static dev.pyper.Task.throttle;
import static dev.pyper.Task.workers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.PipelineException;
import dev.pyper.PipelineExecutor;
import dev.pyper.Task;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The process executor on healthy pipelines: where functions run, what comes out, and the pool. */
class ProcessExecutorTest {

    private static ProcessExecutor processes;

    @BeforeAll
    static void start() {
        processes = new ProcessExecutor();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        processes.close();
        assertEquals(0, processes.processCount());
        Children.assertNone();
    }

    @Test
    void rule_6_1_everyTaskRunsInAnotherProcess() throws Exception {
        long me = ProcessHandle.current().pid();
        List<Long> pids = Task.branch(Functions::upTo)
                .pipe(Task.task(Functions::pid))
                .on(processes)
                .consume(Stream::toList)
                .apply(3);
        assertEquals(3, pids.size());
        pids.forEach(pid -> assertNotEquals(me, pid));
    }

    @Test
    void plainBranchGeneratorAndJoinTasksGiveTheirOutputsInOrder() throws Exception {
        List<Integer> out = Task.branch(Functions::upTo)
                .pipe(Task.task(Functions::square))
                .pipe(Task.generator(Functions::twice))
                .pipe(Task.joinGenerator(Functions::runningTotal))
                .on(processes)
                .consume(Stream::toList)
                .apply(4);
        assertEquals(List.of(0, 0, 1, 2, 6, 10, 19, 28), out);
    }

    @Test
    void aJoinReadsItsInputLazilySoAnInfiniteInputWorks() throws Exception {
        List<List<Integer>> out = Task.generator(Functions::countForever)
                .pipe(Task.join(Functions::firstThree))
                .on(processes)
                .consume(Stream::toList)
                .apply(5);
        assertEquals(List.of(List.of(5, 6, 7)), out);
    }

    @Test
    void severalJoinWorkersInProcessesShareTheInputEachItemGoingToOne() throws Exception {
        List<Integer> sums = Task.branch(Functions::upTo)
                .pipe(Task.join(Functions::sum, workers(2)))
                .on(processes)
                .consume(Stream::toList)
                .apply(1000);
        assertEquals(2, sums.size());
        assertEquals(999 * 1000 / 2, sums.get(0) + sums.get(1));
    }

    @Test
    void anInfiniteProducerStopsWhenTheStreamIsClosed() throws Exception {
        try (Stream<Integer> s =
                Task.generator(Functions::countForever).pipe(Task.task(Functions::square)).on(processes).stream(1)) {
            assertEquals(List.of(1, 4, 9), s.limit(3).toList());
        }
    }

    @Test
    void severalWorkersRunInSeveralProcessesAndOrderedKeepsTheInputOrder() throws Exception {
        List<Integer> inputs = Functions.upTo(200);
        List<Integer> out = Task.branch(Functions::upTo)
                .pipe(Task.task(Functions::square, workers(3), ordered()))
                .on(processes)
                .consume(Stream::toList)
                .apply(200);
        assertEquals(inputs.stream().map(x -> x * x).toList(), out);
        Set<Long> pids = Task.branch(Functions::upTo)
                .pipe(Task.task(
                        x -> {
                            Thread.sleep(5);
                            return ProcessHandle.current().pid();
                        },
                        workers(3)))
                .on(processes)
                .consume(s -> s.collect(Collectors.toSet()))
                .apply(60);
        assertTrue(pids.size() >= 2, "pids " + pids);
    }

    @Test
    void aThrottledBranchStreamsItsOutputsBack() throws Exception {
        List<Integer> out = Task.branch(Functions::upTo, throttle(1))
                .pipe(Task.generator(Functions::twice, throttle(2)))
                .on(processes)
                .consume(Stream::toList)
                .apply(50);
        assertEquals(100, out.size());
        assertEquals(Functions.upTo(50).stream().flatMap(x -> Stream.of(x, x)).toList(), out);
    }

    @Test
    void valuesOfEveryEncodingCrossBothWays() throws Exception {
        List<Object> values =
                List.of("text", 7L, 2.5, true, new byte[] {1, 2}, List.of(1, "two"), new java.math.BigDecimal("1.5"));
        List<Object> out = Task.branch((Integer ignored) -> values)
                .pipe(Task.task(x -> x))
                .on(processes)
                .consume(Stream::toList)
                .apply(0);
        assertEquals(values.size(), out.size());
        assertEquals("text", out.get(0));
        assertEquals(List.of(1, "two"), out.get(5));
        assertEquals(new java.math.BigDecimal("1.5"), out.get(6));
        List<Object> nulls = Task.branch((Integer n) -> java.util.Arrays.asList(null, null))
                .pipe(Task.task(x -> x))
                .on(processes)
                .consume(Stream::toList)
                .apply(0);
        assertEquals(java.util.Arrays.asList(null, null), nulls);
    }

    @Test
    void rule_6_2_workersAreKeptWarmBetweenRuns() throws Exception {
        List<Long> first =
                Task.task(Functions::pid).on(processes).consume(Stream::toList).apply(0);
        List<Long> second =
                Task.task(Functions::pid).on(processes).consume(Stream::toList).apply(0);
        assertEquals(first, second, "the second run takes the warm worker");
    }

    @Test
    void asyncTasksRunInTheCaller() throws Exception {
        long me = ProcessHandle.current().pid();
        List<Long> out = Task.branch(Functions::upTo)
                .pipe(Task.async(
                        x -> CompletableFuture.supplyAsync(
                                () -> ProcessHandle.current().pid()),
                        workers(2)))
                .on(processes)
                .consume(Stream::toList)
                .apply(3);
        assertEquals(List.of(me, me, me), out);
    }

    @Test
    void aFunctionThatCannotBeSerializedIsRefusedBeforeTheRunStarts() throws Exception {
        AtomicInteger notSent = new AtomicInteger();
        Object captured = new Object();
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Task.task((Integer x) -> x + captured.hashCode(), named("captures")).on(processes).stream(1));
        assertTrue(e.getMessage().contains("captures"), e.getMessage());
        assertEquals(0, notSent.get());
    }

    @Test
    void theFunctionsExceptionIsTheCauseWithItsTypeAndMessage() throws Exception {
        PipelineException e = assertThrows(
                PipelineException.class,
                () -> Task.task(
                                (Integer x) -> {
                                    throw new java.io.FileNotFoundException("no file " + x);
                                },
                                named("opener"))
                        .on(processes)
                        .consume(Stream::toList)
                        .apply(42));
        assertEquals("opener", e.taskName());
        assertTrue(e.getCause() instanceof java.io.FileNotFoundException, String.valueOf(e.getCause()));
        assertEquals("no file 42", e.getCause().getMessage());
        assertTrue(e.getMessage().contains("42"), e.getMessage());
    }

    @Test
    void whatTheFunctionPrintsReachesStderrWithAPrefixAndDoesNotDisturbTheOutputs() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<Integer> out;
        try (ProcessExecutor own = new ProcessExecutor()) {
            System.setErr(new PrintStream(captured, true));
            out = Task.branch(Functions::upTo)
                    .pipe(Task.task(
                            x -> {
                                System.out.println("hello from " + x);
                                System.out.print("\u0000\u0001 no newline ");
                                return x;
                            },
                            named("printer")))
                    .on(own)
                    .consume(Stream::toList)
                    .apply(3);
        } finally {
            System.setErr(err);
        }
        assertEquals(List.of(0, 1, 2), out);
        String text = captured.toString();
        assertTrue(text.contains("[pyper task 'printer' worker 1, pid "), text);
        assertTrue(text.contains("hello from 2"), text);
    }

    @Test
    void builderOptionsReachTheWorkerAndBadOnesAreRefused() throws Exception {
        try (ProcessExecutor own = ProcessExecutor.builder()
                .maxHeap("96m")
                .systemProperty("pyper.test", "yes")
                .maxIdleWorkers(0)
                .build()) {
            List<String> out = Task.task((Integer x) -> System.getProperty("pyper.test") + " "
                            + Runtime.getRuntime().maxMemory() / (1024 * 1024))
                    .on(own)
                    .consume(Stream::toList)
                    .apply(0);
            assertTrue(out.get(0).startsWith("yes "), out.toString());
            long heapMiB = Long.parseLong(out.get(0).substring(4));
            assertTrue(heapMiB <= 96, out.toString());
            assertEquals(0, own.processCount(), "maxIdleWorkers(0) keeps no worker");
        }
        assertThrows(
                IllegalArgumentException.class, () -> ProcessExecutor.builder().maxHeap("lots"));
        assertThrows(
                IllegalArgumentException.class, () -> ProcessExecutor.builder().jvmArgs("Xmx1g"));
        assertThrows(
                IllegalArgumentException.class, () -> ProcessExecutor.builder().maxIdleWorkers(-1));
        assertThrows(
                IllegalArgumentException.class, () -> ProcessExecutor.builder().idleTimeout(java.time.Duration.ZERO));
        assertThrows(
                IllegalArgumentException.class, () -> ProcessExecutor.builder().systemProperty(" ", "x"));
    }

    @Test
    void registeredAsProcess() throws Exception {
        assertTrue(
                PipelineExecutor.available().contains("process"),
                PipelineExecutor.available().toString());
        try (var created = PipelineExecutor.create("process")) {
            assertEquals("process", created.name());
        }
    }
}
