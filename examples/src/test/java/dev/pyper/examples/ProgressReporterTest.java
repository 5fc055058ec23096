package dev.pyper.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.RunMetrics;
import dev.pyper.TaskMetrics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {

    private static TaskMetrics task(String name, int workers, long in, long out, int busy, int buffered) {
        return new TaskMetrics(
                name, workers, in, out, 0, busy, buffered, in, Duration.ofMillis(2), Duration.ofMillis(9));
    }

    private static final RunMetrics EARLIER = new RunMetrics(
            List.of(task("list", 1, 1, 1_000, 1, 100), task("read", 16, 900, 900, 16, 0)),
            Duration.ofSeconds(1),
            false);

    private static final RunMetrics LATER = new RunMetrics(
            List.of(task("list", 1, 1, 3_000, 1, 256), task("read", 16, 2_900, 2_880, 16, 0)),
            Duration.ofSeconds(2),
            false);

    @Test
    void aLineShowsPerTaskItemsDoneRateBusyWorkersAndBufferedOutputs() {
        assertEquals(
                "2.0 s | list 3.0k 2.0k/s 1/1 +256 | read 2.9k 2.0k/s 16/16", ProgressReporter.line(LATER, EARLIER));
    }

    @Test
    void withoutAnEarlierSnapshotTheRateIsTheAverageOverTheRun() {
        RunMetrics end = new RunMetrics(List.of(task("list", 1, 1, 3_000, 0, 0)), Duration.ofSeconds(2), true);
        assertEquals("2.0 s done | list 3.0k 1.5k/s 0/1", ProgressReporter.line(end, null));
    }

    @Test
    void aRunWithoutTaskMetricsStillShowsItsTime() {
        RunMetrics none = new RunMetrics(List.of(), Duration.ofMillis(1500), false);
        assertEquals("1.5 s", ProgressReporter.line(none, null));
    }

    @Test
    void theSummaryGivesEachTasksFunctionTimes() {
        assertEquals(
                List.of(
                        "list: 1 in, 3,000 out, 0 failed, 1 workers, mean 2.000 ms, p99 9.000 ms",
                        "read: 2,900 in, 2,880 out, 0 failed, 16 workers, mean 2.000 ms, p99 9.000 ms"),
                ProgressReporter.summary(LATER));
    }

    @Test
    void onATerminalItRedrawsOneLineAndCloseEndsItsThread() throws InterruptedException {
        CountDownLatch reported = new CountDownLatch(2);
        AtomicReference<RunMetrics> current = new AtomicReference<>(EARLIER);
        Supplier<RunMetrics> metrics = () -> {
            reported.countDown();
            return current.getAndSet(LATER);
        };
        StringWriter out = new StringWriter();
        ProgressReporter reporter = ProgressReporter.start(metrics, new PrintWriter(out), true);
        assertTrue(reported.await(30, TimeUnit.SECONDS), "two reports within 30 s");
        reporter.close();
        assertFalse(progressThreadAlive(), "the reporting thread has ended");
        String written = out.toString();
        assertTrue(written.startsWith("\r1.0 s | list 1.0k"), written);
        assertTrue(written.endsWith(ProgressReporter.line(LATER, null) + System.lineSeparator()), written);
        assertEquals(
                written.length() - System.lineSeparator().length(),
                written.indexOf(System.lineSeparator()),
                "one line, redrawn with \\r, and ended only at the close: " + written);
    }

    @Test
    void elsewhereItWritesPlainLinesAndTheFinalState() {
        StringWriter out = new StringWriter();
        ProgressReporter.start(() -> LATER, new PrintWriter(out), false).close();
        assertEquals(ProgressReporter.line(LATER, null) + System.lineSeparator(), out.toString());
        assertFalse(progressThreadAlive());
    }

    private static boolean progressThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals("pyper-progress") && thread.isAlive());
    }
}
