package dev.pyper.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What else a reader needs to trust a number: the source revision that was measured and how busy
 * the machine was. Both are best effort: outside a git checkout or off Linux they say so.
 */
final class Provenance {

    private Provenance() {}

    /** The 1, 5 and 15 minute load averages, such as {@code 0.52 0.40 0.31}, or {@code unknown}. */
    static String loadAverage() {
        Path loadavg = Path.of("/proc/loadavg");
        try {
            String[] parts = Files.readString(loadavg).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The checked-out commit and whether the source modules had local changes. */
    static String sourceRevision() {
        String commit = git("rev-parse", "--short", "HEAD");
        if (commit.isEmpty()) {
            return "unknown (not a git checkout)";
        }
        String changed = git(
                "status",
                "--porcelain",
                "--",
                "api",
                "engine",
                "executor-threads",
                "executor-virtual",
                "executor-process");
        return "commit " + commit + (changed.isEmpty() ? "" : " with uncommitted changes in the measured modules");
    }

    private static String git(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "git";
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            Process git = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            byte[] out = git.getInputStream().readAllBytes();
            if (!git.waitFor(10, TimeUnit.SECONDS) || git.exitValue() != 0) {
                git.destroyForcibly();
                return "";
            }
            return new String(out, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
