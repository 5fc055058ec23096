package dev.pyper.process;

import static dev.pyper.Task.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Emitter;
import dev.pyper.PipelineException;
import dev.pyper.Task;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rule 6.4: a worker process that dies, runs out of heap, or returns what cannot cross ends the run
 * with a {@code PipelineException} naming the task, the input and what happened, and leaves no
 * process behind.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultTest {

    private ProcessExecutor processes;

    @BeforeEach
    void start() {
        processes = ProcessExecutor.builder().maxHeap("32m").build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        processes.close();
        Children.assertNone();
    }

    static int exitOnTwo(int x) {
        if (x == 2) {
            System.exit(3);
        }
        return x;
    }

    @Test
    void rule_6_4_aFunctionThatCallsSystemExitFailsTheRun() {
        PipelineException e = assertThrows(
                PipelineException.class,
                () -> Task.branch(Functions::upTo)
                        .pipe(Task.task(FaultTest::exitOnTwo, named("exiter")))
                        .on(processes)
                        .consume(Stream::toList)
                        .apply(5));
        assertEquals("exiter", e.taskName());
        assertTrue(e.getMessage().contains("input 2"), e.getMessage());
        WorkerProcessException died = assertInstanceOf(WorkerProcessException.class, e.getCause());
        assertEquals(3, died.exitCode());
        assertTrue(
                died.getMessage().contains("task 'exiter'") && died.getMessage().contains("exited with code 3"),
                died.getMessage());
    }

    static void reportPidThenWait(int x, Emitter<Long> out) throws InterruptedException {
        out.emit(ProcessHandle.current().pid());
        Thread.sleep(TimeUnit.MINUTES.toMillis(5));
    }

    @Test
    void rule_6_4_aWorkerKilledMidItemFailsTheRun() {
        try (Stream<Long> outputs = Task.branch(Functions::upTo)
                .pipe(Task.generator(FaultTest::reportPidThenWait, named("sleeper")))
                .on(processes)
                .stream(3)) {
            Iterator<Long> it = outputs.iterator();
            long pid = it.next();
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            PipelineException e = assertThrows(PipelineException.class, it::hasNext);
            assertEquals("sleeper", e.taskName());
            assertTrue(e.getMessage().contains("input 0"), e.getMessage());
            WorkerProcessException died = assertInstanceOf(WorkerProcessException.class, e.getCause());
            assertEquals(137, died.exitCode());
            assertTrue(died.getMessage().contains("SIGKILL"), died.getMessage());
        }
    }

    static int fillTheHeap(int x) {
        List<long[]> hoard = new ArrayList<>();
        while (true) {
            hoard.add(new long[1 << 17]); // 1 MiB at a time
        }
    }

    @Test
    void rule_6_4_aWorkerOutOfHeapFailsTheRun() {
        PipelineException e = assertThrows(
                PipelineException.class,
                () -> Task.branch(Functions::upTo)
                        .pipe(Task.task(FaultTest::fillTheHeap, named("hoarder")))
                        .on(processes)
                        .consume(Stream::toList)
                        .apply(1));
        assertEquals("hoarder", e.taskName());
        assertTrue(e.getMessage().contains("input 0"), e.getMessage());
        assertInstanceOf(OutOfMemoryError.class, e.getCause());
        assertTrue(e.getMessage().contains("Java heap space"), e.getMessage());
    }

    @Test
    void rule_6_3_anOutputThatCannotBeSerializedFailsTheRunNamingItsTypeAndTheTask() throws Exception {
        PipelineException e = assertThrows(
                PipelineException.class,
                () -> Task.branch(Functions::upTo)
                        .pipe(Task.task(x -> new Thread(), named("threadMaker")))
                        .on(processes)
                        .consume(Stream::toList)
                        .apply(1));
        assertEquals("threadMaker", e.taskName());
        assertTrue(e.getMessage().contains("input 0"), e.getMessage());
        assertTrue(
                e.getCause().getMessage().contains("java.lang.Thread"),
                e.getCause().getMessage());
        assertTrue(
                e.getCause().getMessage().contains("threadMaker"), e.getCause().getMessage());
        // The worker survives such a failure and is reused.
        assertEquals(
                List.of(0),
                Task.branch(Functions::upTo)
                        .pipe(Task.task(x -> x))
                        .on(processes)
                        .consume(Stream::toList)
                        .apply(1));
    }

    @Test
    void anExceptionThatCannotBeSerializedArrivesAsItsText() {
        PipelineException e = assertThrows(
                PipelineException.class,
                () -> Task.task(
                                (Integer x) -> {
                                    throw new UnsendableException();
                                },
                                named("thrower"))
                        .on(processes)
                        .consume(Stream::toList)
                        .apply(1));
        RemoteFailure remote = assertInstanceOf(RemoteFailure.class, e.getCause());
        assertEquals(UnsendableException.class.getName(), remote.remoteClass());
        assertTrue(remote.remoteStackTrace().contains("UnsendableException"), remote.remoteStackTrace());
    }

    /** An exception with a field that cannot be serialized. */
    static final class UnsendableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        @SuppressWarnings("unused")
        private final Object notSerializable = new Object();

        UnsendableException() {
            super("cannot travel");
        }
    }

    @Test
    void rule_4_4_closingTheStreamWhileAWorkerIsMidItemInterruptsItAndKeepsTheCleanWorker() throws Exception {
        long pid;
        try (Stream<Long> outputs = Task.branch(Functions::upTo)
                .pipe(Task.generator(FaultTest::reportPidThenWait, named("sleeper")))
                .on(processes)
                .stream(3)) {
            pid = outputs.iterator().next();
            assertTrue(ProcessHandle.of(pid).isPresent());
        } // closes the run: the sleeping invocation is interrupted in its worker, which answers and stays clean
        assertTrue(
                ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                "the interrupted worker was kept warm");
        // the producer's worker is kept too, unless the sleeper, started as its first input came,
        // took that same process back from the pool once the producer had ended
        int kept = processes.processCount();
        assertTrue(kept == 1 || kept == 2, "every clean worker is kept warm, but " + kept + " are");
        assertEquals(
                List.of(0, 1),
                Task.branch(Functions::upTo)
                        .pipe(Task.task(x -> x))
                        .on(processes)
                        .consume(Stream::toList)
                        .apply(2));
    }

    /** Emits its pid, then spins, clearing every interrupt: a function that cannot be interrupted. */
    static void reportPidThenIgnoreInterrupts(int x, Emitter<Long> out) {
        out.emit(ProcessHandle.current().pid());
        while (true) {
            Thread.interrupted();
            Thread.onSpinWait();
        }
    }

    @Test
    void rule_4_4_aWorkerThatIgnoresTheInterruptIsKilledAfterAGracePeriod() {
        long pid;
        try (Stream<Long> outputs = Task.branch(Functions::upTo)
                .pipe(Task.generator(FaultTest::reportPidThenIgnoreInterrupts, named("stubborn")))
                .on(processes)
                .stream(3)) {
            pid = outputs.iterator().next();
        }
        assertTrue(
                ProcessHandle.of(pid).map(ProcessHandle::isAlive).isEmpty()
                        || !ProcessHandle.of(pid).get().isAlive(),
                "the process that ignored its interrupt has ended before close() returned");
        // the producer's clean worker is kept, unless the stubborn task took that same process over
        assertTrue(
                processes.processCount() <= 1,
                "only the producer's clean worker may be kept warm, but " + processes.processCount() + " are");
    }
}
