package dev.pyper.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Workers never outlive their parent: killed with SIGKILL, it leaves no worker behind for long. */
class OrphanTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void workersEndByThemselvesWhenTheirParentIsKilled() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElseThrow(),
                        "-XX:TieredStopAtLevel=1",
                        "-D" + WorkerOptions.JVM_ARGS_PROPERTY + "="
                                + System.getProperty(WorkerOptions.JVM_ARGS_PROPERTY, ""),
                        OrphanParent.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        Process parent = builder.start();
        List<ProcessHandle> workers = new ArrayList<>();
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            while (workers.size() < 2) {
                String line = lines.readLine();
                assertTrue(line != null, "the parent ended before it reported its workers");
                if (line.startsWith("WORKER ")) {
                    workers.add(
                            ProcessHandle.of(Long.parseLong(line.substring(7))).orElseThrow());
                }
            }
            workers.forEach(w -> assertTrue(w.isAlive()));
            parent.destroyForcibly();
            parent.waitFor();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (ProcessHandle worker : workers) {
                long left = deadline - System.nanoTime();
                worker.onExit()
                        .completeOnTimeout(worker, Math.max(left, 0), TimeUnit.NANOSECONDS)
                        .get();
                assertTrue(
                        !worker.isAlive(), "worker " + worker.pid() + " still alive 10 s after its parent was killed");
            }
        } finally {
            parent.destroyForcibly();
            workers.forEach(ProcessHandle::destroyForcibly);
        }
        assertEquals(2, workers.size());
        Children.assertNone();
    }
}
