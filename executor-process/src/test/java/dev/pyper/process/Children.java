package dev.pyper.process;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Checks that a test left no child process of this JVM behind (rules 4.5, 6.4). */
final class Children {

    private Children() {}

    /** The live child processes of this JVM, with their command lines for the failure message. */
    static List<String> alive() {
        return ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                .toList();
    }

    /** Fails if any child process is alive after a bounded wait for processes that are being reaped. */
    static void assertNone() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!alive().isEmpty() && System.nanoTime() < deadline) {
            ProcessHandle.current()
                    .descendants()
                    .findFirst()
                    .ifPresent(p -> p.onExit()
                            .orTimeout(1, TimeUnit.SECONDS)
                            .exceptionally(e -> p)
                            .join());
        }
        List<String> left = alive();
        if (!left.isEmpty()) {
            fail("child processes left behind: " + left);
        }
    }
}
