package dev.pyper.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The engine never uses {@code synchronized}, so that it cannot pin a carrier thread on JDK 21 to
 * 23, where a virtual thread blocked inside {@code synchronized} (or in {@code Object.wait}) keeps
 * its carrier. On JDK 24 and later that no longer pins (JEP 491), so the virtual executor's
 * {@code NoCarrierPinningTest} recording cannot see it; this test reads the bytecode instead: no
 * {@code monitorenter} instruction and no {@code synchronized} method in {@code dev.pyper.engine}.
 * It lives with the engine, which every in-JVM executor runs on.
 */
class NoSynchronizedInEngineTest {

    @Test
    void engineAndExecutorBytecodeHasNoMonitors() throws Exception {
        List<String> classes = new ArrayList<>();
        Path engineRoot = classRoot(Engine.class);
        classes.addAll(classesIn(engineRoot, "dev/pyper/engine/"));
        assertFalse(classes.isEmpty(), "no classes found under " + engineRoot);

        ToolProvider javap =
                ToolProvider.findFirst("javap").orElseThrow(() -> new AssertionError("this JDK has no javap"));
        List<String> args = new ArrayList<>(List.of("-c", "-p", "-cp", engineRoot.toString()));
        args.addAll(classes);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = javap.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        assertEquals(0, status, () -> "javap failed: " + err);

        List<String> monitors = new ArrayList<>();
        String currentClass = "";
        for (String line : out.toString().lines().toList()) {
            if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && line.endsWith("{")) {
                currentClass = line; // a class header: "final class dev.pyper.engine.Channel {"
            }
            if (line.contains("monitorenter") || line.matches("^\\s+.*\\bsynchronized\\b.*\\(.*\\).*;$")) {
                monitors.add(currentClass + " :: " + line.trim());
            }
        }
        assertEquals(
                List.of(), monitors, "the engine must wait on java.util.concurrent locks only, never in synchronized");
    }

    /** The directory or jar that a class was loaded from. */
    private static Path classRoot(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** The binary names of the classes of one package, from a classes directory or a jar. */
    private static List<String> classesIn(Path root, String packagePath) throws IOException {
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> files = Files.walk(root.resolve(packagePath))) {
                files.map(root::relativize)
                        .map(Path::toString)
                        .filter(p -> p.endsWith(".class"))
                        .forEach(p -> names.add(toBinaryName(p.replace(File.separatorChar, '/'))));
            }
        } else {
            try (ZipFile jar = new ZipFile(root.toFile())) {
                jar.stream()
                        .map(e -> e.getName())
                        .filter(n -> n.startsWith(packagePath) && n.endsWith(".class"))
                        .forEach(n -> names.add(toBinaryName(n)));
            }
        }
        return names;
    }

    private static String toBinaryName(String classFile) {
        return classFile.substring(0, classFile.length() - ".class".length()).replace('/', '.');
    }
}
