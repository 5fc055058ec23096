package dev.pyper.examples.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Compiles every Java block of README.md and of the modules' READMEs against the project as it is,
 * and runs them, checking the values they show ({@link MarkdownJava} says how). A README whose code
 * does not compile, or shows a value the code does not give, fails the build.
 */
class MarkdownJavaTest {

    @TestFactory
    Stream<DynamicNode> everyJavaBlockOfTheReadmesCompilesAndShowsWhatItGives() throws IOException {
        Path root = projectRoot();
        List<Path> readmes = new ArrayList<>();
        readmes.add(root.resolve("README.md"));
        try (Stream<Path> modules = Files.list(root)) {
            modules.map(m -> m.resolve("README.md"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .forEach(readmes::add);
        }
        List<MarkdownJava> all = new ArrayList<>();
        for (Path readme : readmes) {
            MarkdownJava docs = MarkdownJava.read(readme);
            if (!docs.blocks().isEmpty()) {
                all.add(docs);
            }
        }
        // one class loader for all of them, so that worker processes started for one file's blocks know every file's
        // classes
        ClassLoader loader = compile(all);
        List<DynamicNode> files = new ArrayList<>();
        for (MarkdownJava docs : all) {
            files.add(DynamicContainer.dynamicContainer(
                    root.relativize(docs.file()).toString(), blocksOf(docs, loader)));
        }
        assertTrue(
                files.size() >= 3,
                "expected Java blocks in README.md and the modules' READMEs, found " + files.size() + " files");
        return files.stream();
    }

    private static Stream<DynamicNode> blocksOf(MarkdownJava docs, ClassLoader loader) {
        Class<?> compiled;
        try {
            compiled = loader.loadClass(docs.className());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        List<DynamicNode> tests = new ArrayList<>();
        for (int n = 0; n < docs.blocks().size(); n++) {
            MarkdownJava.Block block = docs.blocks().get(n);
            if (!block.runs() || block.statements().isEmpty()) {
                continue;
            }
            String method = "block" + (n + 1);
            tests.add(DynamicTest.dynamicTest("line " + block.line() + " runs", () -> run(compiled.getMethod(method))));
        }
        return tests.stream();
    }

    /**
     * Runs a block with its class's loader as the thread's context class loader, as an application
     * server or a Flink TaskManager runs user code: worker processes of {@code multiprocess()}
     * tasks take their class path from it, and so find the block's functions.
     */
    private static void run(Method block) throws Throwable {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(block.getDeclaringClass().getClassLoader());
        try {
            block.invoke(null);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Compiles every file's class in one go; fails the test with javac's errors and the generated sources. */
    private static ClassLoader compile(List<MarkdownJava> all) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path out = Files.createTempDirectory("pyper-docs-");
        out.toFile().deleteOnExit();
        List<JavaFileObject> files = new ArrayList<>();
        StringBuilder sources = new StringBuilder();
        for (MarkdownJava docs : all) {
            String source = docs.source();
            sources.append("--- ")
                    .append(docs.file())
                    .append(" as ")
                    .append(docs.className())
                    .append(" ---\n")
                    .append(numbered(source));
            files.add(
                    new SimpleJavaFileObject(
                            java.net.URI.create("string:///" + docs.className().replace('.', '/') + ".java"),
                            JavaFileObject.Kind.SOURCE) {
                        @Override
                        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                            return source;
                        }
                    });
        }
        StringWriter errors = new StringWriter();
        List<String> options = List.of(
                "-classpath",
                System.getProperty("java.class.path"),
                "-d",
                out.toString(),
                "-proc:none",
                "-Xlint:none",
                "-Xdiags:verbose");
        if (!javac.getTask(errors, null, null, options, null, files).call()) {
            fail("The Java blocks of the READMEs do not compile:\n" + errors + "\n" + sources);
        }
        return new URLClassLoader(new java.net.URL[] {out.toUri().toURL()}, MarkdownJavaTest.class.getClassLoader());
    }

    private static String numbered(String source) {
        StringBuilder b = new StringBuilder();
        int n = 1;
        for (String line : source.split("\n", -1)) {
            b.append(String.format("%4d  %s%n", n++, line));
        }
        return b.toString();
    }

    static Path projectRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isRegularFile(dir.resolve("README.md"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no project root above " + Path.of("").toAbsolutePath());
    }
}
