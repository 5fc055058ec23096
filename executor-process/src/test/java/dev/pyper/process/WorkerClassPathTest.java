package dev.pyper.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker's class path: this JVM's, plus what a user-code class loader adds. */
class WorkerClassPathTest {

    private static List<String> jvmClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.isEmpty())
                .toList();
    }

    @Test
    void theSystemClassLoaderAddsNothing() {
        assertEquals(
                jvmClassPath(),
                List.of(WorkerOptions.classPathOf(ClassLoader.getSystemClassLoader())
                        .split(File.pathSeparator)));
        assertEquals(jvmClassPath(), List.of(WorkerOptions.classPathOf(null).split(File.pathSeparator)));
    }

    @Test
    void aUserCodeLoaderAddsItsJarsAndFoldersParentsFirstWithoutDuplicates(@TempDir Path dir) throws Exception {
        Path outerJar = Files.createFile(dir.resolve("app.jar"));
        Path innerDir = Files.createDirectory(dir.resolve("plugin classes"));
        String already = jvmClassPath().get(0);
        try (URLClassLoader outer = new URLClassLoader(
                        new URL[] {
                            outerJar.toUri().toURL(),
                            Path.of(already).toUri().toURL(),
                            new URL("http://example.invalid/remote.jar")
                        },
                        ClassLoader.getSystemClassLoader());
                URLClassLoader inner =
                        new URLClassLoader(new URL[] {innerDir.toUri().toURL()}, outer)) {
            List<String> expected = new ArrayList<>(jvmClassPath());
            expected.add(outerJar.toString());
            expected.add(innerDir.toString());
            assertEquals(expected, List.of(WorkerOptions.classPathOf(inner).split(File.pathSeparator)));
        }
    }
}
