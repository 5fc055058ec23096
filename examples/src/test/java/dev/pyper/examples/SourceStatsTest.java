package dev.pyper.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.PipelineExecutor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command as a user runs it, on the small corpus of {@link TestCorpus}. */
class SourceStatsTest {

    @TempDir
    static Path temp;

    static Path directory;
    static Path zip;

    @BeforeAll
    static void writeCorpus() throws IOException {
        directory = TestCorpus.writeDirectory(temp.resolve("corpus"));
        zip = TestCorpus.writeZip(temp.resolve("corpus.zip"));
    }

    /** What a run printed, and how it ended. */
    record Outcome(int exitCode, String out, String err) {
        /** Standard output without the wall-time line: the part that must not vary. */
        String table() {
            return out.lines()
                    .filter(line -> !line.startsWith(SourceStats.WALL_TIME))
                    .collect(Collectors.joining("\n"));
        }
    }

    static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = SourceStats.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Outcome(exitCode, out.toString(), err.toString());
    }

    @Test
    void everyExecutorPrintsTheSameTableForTheDirectoryAndTheZip() {
        Map<String, String> tables = new LinkedHashMap<>();
        for (String executor : List.of("threads", "virtual")) {
            for (Path input : List.of(directory, zip)) {
                tables.put(executor + " " + input.getFileName(), table(input, executor, "3"));
            }
        }
        // Worker JVMs take a while to start: one run, with one read worker, keeps the test short.
        if (PipelineExecutor.available().contains("process")) {
            tables.put("process corpus.zip", table(zip, "process", "1"));
        }
        // An embedded Flink cluster starts once (a few seconds) and runs the same pipeline as a Flink job.
        if (PipelineExecutor.available().contains("flink")) {
            tables.put("flink corpus.zip", table(zip, "flink", "3"));
        }
        String expected = tables.get("threads corpus");
        tables.forEach((run, table) -> assertEquals(expected, table, run));
        assertTrue(tables.size() >= 6, tables.keySet().toString());
    }

    private static String table(Path input, String executor, String workers) {
        Outcome outcome = run("--input", input.toString(), "--executor", executor, "--workers", workers, "--quiet");
        assertEquals(0, outcome.exitCode(), outcome.err());
        assertTrue(
                outcome.out().lines().reduce((a, b) -> b).orElseThrow().startsWith(SourceStats.WALL_TIME),
                outcome.out());
        return outcome.table();
    }

    @Test
    void theTableListsModulesByCodeLinesWithTotals() {
        Outcome outcome = run("--input", directory.toString(), "--quiet", "--top", "2");
        List<String> lines = outcome.out().lines().toList();
        assertTrue(lines.get(0).startsWith("module"), lines.get(0));
        assertTrue(lines.get(1).startsWith("alpha "), outcome.out()); // 16 code lines
        assertTrue(lines.get(2).startsWith("beta "), outcome.out()); // 13
        assertTrue(lines.get(3).startsWith("(root) "), outcome.out()); // 1
        assertTrue(lines.get(5).matches("total\\s+4\\s+41\\s+30\\s+4\\s+7\\s+5\\s+5\\s+.*"), lines.get(5));
        assertTrue(lines.get(6).startsWith("most frequent identifiers: "), lines.get(6));
    }

    @Test
    void progressAndPerTaskFiguresGoToStandardErrorOnly() {
        Outcome quiet = run("--input", zip.toString(), "--quiet");
        Outcome loud = run("--input", zip.toString());
        assertEquals(0, loud.exitCode(), loud.err());
        assertEquals(quiet.table(), loud.table());
        assertTrue(quiet.err().isEmpty(), quiet.err());
        assertTrue(loud.err().lines().anyMatch(line -> line.matches("\\d+\\.\\d s( done)?( \\| .*)?")), loud.err());
    }

    @Test
    void aFileThatCannotBeReadFailsTheRunNamingTheTaskAndTheFile() throws IOException {
        Path broken = TestCorpus.writeCorruptZip(temp.resolve("broken.zip"), "gamma/Broken.java");
        Outcome outcome = run("--input", broken.toString(), "--quiet");
        assertEquals(1, outcome.exitCode(), outcome.out());
        assertTrue(outcome.err().startsWith("The run failed: "), outcome.err());
        assertTrue(outcome.err().contains("read") && outcome.err().contains("gamma/Broken.java"), outcome.err());
        assertTrue(outcome.out().isEmpty(), "no table for a failed run: " + outcome.out());
    }

    @Test
    void aMissingInputIsNamedAndFails() {
        Path missing = temp.resolve("no-such-corpus");
        Outcome outcome = run("--input", missing.toString());
        assertEquals(2, outcome.exitCode());
        assertTrue(outcome.err().contains("No such directory or zip file: " + missing), outcome.err());
    }

    @Test
    void aFileThatIsNotAZipIsNamedAndFails() {
        Path text = directory.resolve("beta/q/notes.txt");
        Outcome outcome = run("--input", text.toString());
        assertEquals(2, outcome.exitCode());
        assertTrue(outcome.err().contains("Not a zip file: " + text), outcome.err());
    }

    @Test
    void anUnknownExecutorFailsListingTheAvailableOnes() {
        Outcome outcome = run("--input", directory.toString(), "--executor", "carrier-pigeon");
        assertEquals(2, outcome.exitCode());
        assertTrue(outcome.err().contains("carrier-pigeon"), outcome.err());
        assertTrue(outcome.err().contains("threads") && outcome.err().contains("virtual"), outcome.err());
    }

    @Test
    void badNumbersAreRejectedNamingTheOption() {
        Outcome workers = run("--input", directory.toString(), "--workers", "0");
        assertEquals(2, workers.exitCode());
        assertTrue(workers.err().contains("workers must be at least 1, was 0"), workers.err());
        Outcome throttle = run("--input", directory.toString(), "--throttle", "-1");
        assertEquals(2, throttle.exitCode());
        assertTrue(throttle.err().contains("throttle"), throttle.err());
        Outcome top = run("--input", directory.toString(), "--top", "-1");
        assertEquals(2, top.exitCode());
        assertTrue(top.err().contains("--top"), top.err());
    }

    @Test
    void filesAnalysedInBatchesOfAnySizeGiveTheSameTable() {
        String expected =
                run("--input", zip.toString(), "--quiet", "--batch", "1").table();
        for (String batch : List.of("2", "3", "1000")) {
            for (String throttle : List.of("0", "1")) {
                Outcome outcome = run("--input", zip.toString(), "--quiet", "--batch", batch, "--throttle", throttle);
                assertEquals(0, outcome.exitCode(), outcome.err());
                assertEquals(expected, outcome.table(), () -> "--batch " + batch + " --throttle " + throttle);
            }
        }
        Outcome loud = run("--input", zip.toString(), "--batch", "2");
        assertTrue(loud.err().contains("batch") && loud.err().contains("files"), loud.err()); // its per-task figures
    }

    @Test
    void aBatchOfNoFilesIsRejectedNamingTheOption() {
        Outcome outcome = run("--input", directory.toString(), "--batch", "0");
        assertEquals(2, outcome.exitCode());
        assertTrue(outcome.err().contains("the size must be at least 1, was 0"), outcome.err());
    }

    @Test
    void aRemoteFlinkClusterNeedsTheFlinkExecutorAnAddressAndAJar() {
        String input = directory.toString();
        Outcome notFlink = run("--input", input, "--flink-remote", "127.0.0.1:8081");
        assertEquals(2, notFlink.exitCode());
        assertTrue(notFlink.err().contains("--executor flink, not 'threads'"), notFlink.err());
        Outcome noPort = run("--input", input, "--executor", "flink", "--flink-remote", "jobmanager");
        assertEquals(2, noPort.exitCode());
        assertTrue(noPort.err().contains("--flink-remote must be host:port"), noPort.err());
        Outcome jarOnly = run("--input", input, "--executor", "flink", "--flink-jar", "app.jar");
        assertEquals(2, jarOnly.exitCode());
        assertTrue(jarOnly.err().contains("--flink-jar goes with --flink-remote"), jarOnly.err());
        Outcome missingJar = run(
                "--input",
                input,
                "--executor",
                "flink",
                "--flink-remote",
                "127.0.0.1:8081",
                "--flink-jar",
                temp.resolve("no-such.jar").toString());
        assertEquals(2, missingJar.exitCode());
        assertTrue(missingJar.err().contains("--flink-jar: no such file"), missingJar.err());
        // the tests run the demo from target/classes: no jar that a cluster could be sent
        Outcome fromClasses = run("--input", input, "--executor", "flink", "--flink-remote", "127.0.0.1:8081");
        assertEquals(2, fromClasses.exitCode());
        assertTrue(
                fromClasses.err().contains("not from a jar")
                        && fromClasses.err().contains("--flink-jar"),
                fromClasses.err());
    }

    @Test
    void helpListsTheExecutorsOnTheClassPath() {
        Outcome help = run("--help");
        assertEquals(0, help.exitCode());
        for (String name : PipelineExecutor.available()) {
            assertTrue(help.out().contains(name), help.out());
        }
    }
}
