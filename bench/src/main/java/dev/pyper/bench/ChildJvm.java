package dev.pyper.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a child of the benchmark ({@link MemoryChild}, {@link ScaleChild}, {@link MetricsCostChild}) in a new JVM: the same
 * {@code java} binary and class path as this one, with a fixed heap, and waits for it at most a
 * timeout, after which it is killed. Output goes to temporary files (deleted afterwards), so a
 * chatty child can never block on a full pipe. A child reports on a line that starts with
 * {@code BENCH-RESULT}.
 */
final class ChildJvm {

    /** How a child ended. */
    sealed interface Ending {}

    /** It printed its result: the peak RSS, then the rest of the result line. */
    record Completed(long peakRssKiB, String rest) implements Ending {

        /** For a {@link MemoryChild}: its wall time in milliseconds, the rest of its line. */
        long millis() {
            return Long.parseLong(rest.strip());
        }
    }

    /** It ran out of heap (with or without exiting afterwards). */
    record OutOfMemory(boolean hung) implements Ending {}

    /** It was still running at the timeout and was killed. */
    record TimedOut(long seconds) implements Ending {}

    /** It failed otherwise. */
    record Failed(int exitCode, String lastLine) implements Ending {}

    private ChildJvm() {}

    /**
     * Runs one memory case in a child JVM.
     *
     * @param heap the {@code -Xmx} value, such as {@code 64m}
     * @param timeoutSeconds when to kill it
     * @param args the child's arguments: contender, N, bound
     * @return how it ended
     * @throws IOException if the child cannot be started
     * @throws InterruptedException if interrupted while waiting (the child is killed)
     */
    static Ending run(String heap, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        return run(MemoryChild.class, heap, timeoutSeconds, args);
    }

    /**
     * Runs {@code main} in a child JVM.
     *
     * @param main the child's main class
     * @param heap the {@code -Xmx} value, such as {@code 64m}
     * @param timeoutSeconds when to kill it
     * @param args the child's arguments
     * @return how it ended
     * @throws IOException if the child cannot be started
     * @throws InterruptedException if interrupted while waiting (the child is killed)
     */
    static Ending run(Class<?> main, String heap, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        return run(main, heap, List.of(), timeoutSeconds, args);
    }

    /**
     * Runs {@code main} in a child JVM with more JVM options.
     *
     * @param main the child's main class
     * @param heap the {@code -Xmx} value, such as {@code 64m}
     * @param jvmOptions options put before the main class, such as {@code -Dname=value}
     * @param timeoutSeconds when to kill it
     * @param args the child's arguments
     * @return how it ended
     * @throws IOException if the child cannot be started
     * @throws InterruptedException if interrupted while waiting (the child is killed)
     */
    static Ending run(Class<?> main, String heap, List<String> jvmOptions, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap));
        String context = System.getProperty(BenchMain.CONTEXT);
        if (context != null && jvmOptions.stream().noneMatch(o -> o.startsWith("-D" + BenchMain.CONTEXT + "="))) {
            command.add("-D" + BenchMain.CONTEXT + "=" + context); // a child measures what its parent does, unless told
        }
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("pyper-bench-child", ".out");
        Path err = Files.createTempFile("pyper-bench-child", ".err");
        Process child = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            boolean ended = child.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!ended) {
                child.descendants().forEach(ProcessHandle::destroyForcibly);
                child.destroyForcibly().waitFor();
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            boolean oom = stderr.contains("OutOfMemoryError") || stdout.contains("OutOfMemoryError");
            if (oom) {
                return new OutOfMemory(!ended);
            }
            if (!ended) {
                return new TimedOut(timeoutSeconds);
            }
            for (String line : stdout.lines().toList()) {
                if (line.startsWith(MemoryChild.RESULT)) {
                    String[] parts = line.split(" ", 3);
                    return new Completed(Long.parseLong(parts[1]), parts.length > 2 ? parts[2] : "");
                }
            }
            List<String> lines = stderr.lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("SLF4J"))
                    .toList();
            return new Failed(child.exitValue(), lines.isEmpty() ? "(no message)" : lines.get(0));
        } finally {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
