package dev.pyper.examples;

import dev.pyper.Emitter;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A set of Java source files to analyse: a directory tree or a zip file such as the JDK's
 * {@code lib/src.zip}.
 *
 * <p>A corpus is serializable, so that the process executor can ship the tasks that use it to
 * its worker JVMs; each JVM then opens the underlying file by itself when it first reads.
 */
public sealed interface Corpus extends Serializable, AutoCloseable permits ZipCorpus, DirectoryCorpus {

    /** The file name ending of the files that count. */
    String JAVA = ".java";

    /**
     * Opens a directory or a zip file.
     *
     * @param location where the sources are
     * @return the corpus, which the caller closes
     * @throws IllegalArgumentException if {@code location} does not exist, or is a file that is not
     *     a zip; the message names it
     */
    static Corpus open(Path location) {
        if (Files.isDirectory(location)) {
            return new DirectoryCorpus(location);
        }
        if (Files.isRegularFile(location)) {
            return ZipCorpus.open(location);
        }
        throw new IllegalArgumentException("No such directory or zip file: " + location);
    }

    /**
     * Emits every {@code .java} file of the corpus, lazily: the producer's function.
     *
     * @param out where each file goes
     * @throws IOException if the corpus cannot be listed
     */
    void list(Emitter<SourceFile> out) throws IOException;

    /**
     * Reads one file.
     *
     * @param file a file that {@link #list} emitted
     * @return the file with its text
     * @throws IOException if it cannot be read
     */
    SourceText read(SourceFile file) throws IOException;

    /** Releases the open file, if any. */
    @Override
    void close() throws IOException;

    /**
     * The module that a file counts towards: the first segment of its path ({@code java.base} in
     * {@code java.base/java/lang/Object.java}), or {@code (root)} for a file at the top level.
     *
     * @param path a path inside the corpus, with {@code /} as separator
     * @return the module's name
     */
    static String moduleOf(String path) {
        int slash = path.indexOf('/');
        return slash > 0 ? path.substring(0, slash) : "(root)";
    }

    /**
     * Whether a path inside the corpus names a Java source file.
     *
     * @param path a path inside the corpus
     * @return whether it ends in {@value #JAVA}
     */
    static boolean isJava(String path) {
        return path.endsWith(JAVA);
    }
}
