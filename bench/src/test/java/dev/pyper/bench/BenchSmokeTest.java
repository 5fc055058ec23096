package dev.pyper.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps the benchmark from rotting: runs the harness in quick mode on one workload. */
class BenchSmokeTest {

    @Test
    void quickHandOffRunsOnEveryExecutorAndThePeerChain(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("benchmarks.md");
        BenchOptions options = BenchOptions.parse(
                "bench.quick=true",
                "bench.only=W1",
                "bench.subjects=threads,virtual,abq-chain",
                "bench.runs=1",
                "bench.warmups=0",
                "bench.out=" + out);
        ByteArrayOutputStream tables = new ByteArrayOutputStream();
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        Path written = BenchMain.run(
                options,
                new PrintStream(tables, true, StandardCharsets.UTF_8),
                new PrintStream(log, true, StandardCharsets.UTF_8));

        String table = tables.toString(StandardCharsets.UTF_8);
        assertEquals(out, written);
        for (String row : new String[] {
            "| N=100000, unbounded | `threads` |",
            "| N=100000, throttle(1024) | `virtual` |",
            "| N=100000, buffers 1024 | `abq-chain` |"
        }) {
            assertTrue(table.contains(row), () -> "missing row " + row + " in\n" + table);
        }
        assertFalse(log.toString(StandardCharsets.UTF_8).contains("FAILED"), log::toString);
        String report = Files.readString(out);
        assertTrue(report.contains("Machine: " + Runtime.getRuntime().availableProcessors() + " cores"), report);
        assertTrue(report.contains(Report.KEEP_BELOW), report);
    }

    @Test
    void quickMetricsCostRunsBothSidesInChildJvms() throws Exception {
        assertQuickRun(
                "W10",
                "threads",
                "slowdown",
                "| N=100000, 2 JVMs × 3 runs, metrics on | `threads` |",
                "| N=100000, 2 JVMs × 3 runs, -Dpyper.metrics.calls=false | `threads` |");
    }

    @Test
    void quickEcosystemCostRunsEverySideInChildJvms() throws Exception {
        assertQuickRun(
                "W11",
                "threads",
                "slowdown",
                "| N=100000, 2 JVMs × 3 runs, baseline | `threads` |",
                "| N=100000, 2 JVMs × 3 runs, Micrometer meters | `threads` |",
                "| N=100000, 2 JVMs × 3 runs, MDC and OpenTelemetry context | `threads` |");
    }

    @Test
    void quickBatchingRunsPyperAndTheHandWrittenBatcher() throws Exception {
        assertQuickRun(
                "W12",
                "threads,abq-chain",
                "hand-written",
                "| N=100000, lists of 100 | `threads` |",
                "| N=100000, lists of 100 | `abq-chain` |");
    }

    @Test
    void quickRateAccuracyRunsBothRates() throws Exception {
        assertQuickRun(
                "W13", "threads", "asked", "| r=50/s, burst 1 | `threads` |", "| r=10,000/s, burst 100 | `threads` |");
    }

    @Test
    void quickOrderPerKeyRunsEveryKeyCountBesideNoKey() throws Exception {
        assertQuickRun(
                "W14",
                "threads",
                "no key",
                "| N=50000, no key | `threads` |",
                "| N=50000, 1 key | `threads` |",
                "| N=50000, 10 keys | `threads` |",
                "| N=50000, 10,000 keys | `threads` |");
    }

    /**
     * Runs one workload in quick mode, once, without warm-ups, and checks that its table has the
     * rows and the comparison it should, and that no case failed.
     */
    private static void assertQuickRun(String workload, String subjects, String comparison, String... rows)
            throws Exception {
        BenchOptions options = BenchOptions.parse(
                "bench.quick=true",
                "bench.only=" + workload,
                "bench.subjects=" + subjects,
                "bench.runs=1",
                "bench.warmups=0");
        ByteArrayOutputStream tables = new ByteArrayOutputStream();
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        BenchMain.run(
                options,
                new PrintStream(tables, true, StandardCharsets.UTF_8),
                new PrintStream(log, true, StandardCharsets.UTF_8));

        String table = tables.toString(StandardCharsets.UTF_8);
        for (String row : rows) {
            assertTrue(table.contains(row), () -> "missing row " + row + " in\n" + table);
        }
        assertTrue(table.contains(comparison), table);
        assertFalse(log.toString(StandardCharsets.UTF_8).contains("FAILED"), log::toString);
    }

    @Test
    void aReRunKeepsTheHandWrittenNotes(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("benchmarks.md");
        Files.writeString(out, "old table\n" + Report.KEEP_BELOW + "\n## Notes\nprofile of W1\n");
        BenchOptions options = BenchOptions.parse(
                "bench.quick=true",
                "bench.only=W5",
                "bench.subjects=virtual",
                "bench.runs=1",
                "bench.warmups=0",
                "bench.out=" + out);

        BenchMain.run(
                options,
                new PrintStream(PrintStream.nullOutputStream()),
                new PrintStream(PrintStream.nullOutputStream()));

        String report = Files.readString(out);
        assertFalse(report.contains("old table"), report);
        assertTrue(report.contains("| 1000 runs | `virtual` |"), report);
        assertTrue(report.endsWith(Report.KEEP_BELOW + "\n## Notes\nprofile of W1\n"), report);
    }

    @Test
    void badOptionsAreNamed() {
        IllegalArgumentException unknown =
                assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("bench.only=W99"));
        assertTrue(unknown.getMessage().contains("W99"), unknown.getMessage());
        IllegalArgumentException runs =
                assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("bench.runs=x"));
        assertTrue(runs.getMessage().contains("bench.runs"), runs.getMessage());
        assertNull(BenchOptions.parse("bench.quick=true").out(), "a quick run writes nothing unless told");
    }
}
