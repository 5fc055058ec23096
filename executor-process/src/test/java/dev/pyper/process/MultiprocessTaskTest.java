package dev.pyper.process;

import static dev.pyper.Task.multiprocess;
import static dev.pyper.Task.named;
import static dev.pyper.Task.throttle;
import static dev.pyper.Task.workers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Emitter;
import dev.pyper.PipelineException;
import dev.pyper.Task;
import dev.pyper.threads.ThreadExecutor;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A {@code multiprocess} task in the middle of a pipeline on the threads executor (rule 6.1). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MultiprocessTaskTest {

    private static ThreadExecutor threads;

    @BeforeAll
    static void start() {
        threads = new ThreadExecutor();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        threads.close();
        Children.assertNone();
    }

    @Test
    void rule_6_1_onlyTheMultiprocessTaskRunsInAnotherProcess() throws Exception {
        long me = ProcessHandle.current().pid();
        List<List<Long>> out = Task.branch(Functions::upTo)
                .pipe(Task.task(x -> List.of(ProcessHandle.current().pid())))
                .pipe(Task.task(l -> List.of(l.get(0), ProcessHandle.current().pid()), multiprocess(), workers(2)))
                .pipe(Task.task(
                        l -> List.of(l.get(0), l.get(1), ProcessHandle.current().pid())))
                .on(threads)
                .consume(Stream::toList)
                .apply(4);
        assertEquals(4, out.size());
        for (List<Long> pids : out) {
            assertEquals(me, pids.get(0));
            assertNotEquals(me, pids.get(1));
            assertEquals(me, pids.get(2));
        }
    }

    /** Counts to n, writing how far it got to {@code progress} before each emit. */
    static void countRecording(int n, String progress, Emitter<Integer> out) throws java.io.IOException {
        java.nio.file.Path file = java.nio.file.Path.of(progress);
        for (int i = 0; i < n; i++) {
            java.nio.file.Files.writeString(file, Integer.toString(i));
            out.emit(i);
        }
    }

    @Test
    void rule_2_6_aThrottledMultiprocessBranchIsPausedWhenItsConsumerIsNotReading() throws Exception {
        java.nio.file.Path progress = java.nio.file.Files.createTempFile("pyper-progress", ".txt");
        String progressFile = progress.toString();
        try (Stream<Integer> s = Task.task((Integer n) -> n)
                .pipe(Task.generator(
                        (Integer n, Emitter<Integer> out) -> countRecording(n, progressFile, out),
                        multiprocess(),
                        throttle(2)))
                .on(threads)
                .stream(1_000_000)) {
            Iterator<Integer> it = s.iterator();
            assertEquals(0, it.next());
            // Not reading any more: within a generous while, the worker must stay within the throttle's bound.
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            int reached = 0;
            while (System.nanoTime() < deadline) {
                String text = java.nio.file.Files.readString(progress).strip();
                reached = text.isEmpty() ? reached : Math.max(reached, Integer.parseInt(text));
                Thread.onSpinWait();
            }
            assertTrue(reached <= 2 + 1 + 1 + 2, "the worker ran ahead to output " + reached);
        } finally {
            java.nio.file.Files.deleteIfExists(progress);
        }
        List<Integer> all = Task.task((Integer n) -> n)
                .pipe(Task.generator(Functions::countTo, multiprocess(), throttle(2)))
                .on(threads)
                .consume(Stream::toList)
                .apply(1000);
        assertEquals(Functions.upTo(1000), all);
    }

    @Test
    void aWorkerKilledUnderTheThreadsExecutorFailsTheRunNamingTheTask() {
        try (Stream<Long> outputs = Task.branch(Functions::upTo)
                .pipe(Task.generator(FaultTest::reportPidThenWait, multiprocess(), named("remote")))
                .on(threads)
                .stream(2)) {
            Iterator<Long> it = outputs.iterator();
            ProcessHandle.of(it.next()).orElseThrow().destroyForcibly();
            PipelineException e = assertThrows(PipelineException.class, () -> {
                while (it.hasNext()) {
                    it.next();
                }
            });
            assertEquals("remote", e.taskName());
            assertInstanceOf(WorkerProcessException.class, e.getCause());
        }
    }
}
