package dev.pyper.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The child JVM of W4: runs one memory case on one contender, then prints its own peak resident
 * set size ({@code VmHWM} of {@code /proc/self/status}) on a line that starts with
 * {@value #RESULT}. Its heap is fixed small by the parent, so a bounded case shows it is bounded
 * by completing.
 */
public final class MemoryChild {

    /** The prefix of the result line: {@code BENCH-RESULT <peak RSS in KiB> <millis>}. */
    public static final String RESULT = "BENCH-RESULT";

    private MemoryChild() {}

    /**
     * Runs one case.
     *
     * @param args the contender's name, N (0 for an idle JVM), and the bound (0 for unbounded)
     * @throws Exception if the case fails; the parent reads the exit code and standard error
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            throw new IllegalArgumentException(
                    "usage: MemoryChild <contender> <n> <bound>, got " + String.join(" ", args));
        }
        int n = Integer.parseInt(args[1]);
        int bound = Integer.parseInt(args[2]);
        long start = System.nanoTime();
        if (n > 0) {
            try (Subject subject = Contenders.create(args[0])) {
                long sum = subject.memory(n, bound);
                BenchContext.verify(subject, (long) n * 1024, sum);
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println(RESULT + " " + peakRssKiB() + " " + millis);
        System.out.flush();
        System.exit(0);
    }

    /** {@code VmHWM} in KiB, or -1 where {@code /proc} is not there (not Linux). */
    static long peakRssKiB() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
