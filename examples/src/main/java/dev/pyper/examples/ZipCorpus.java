package dev.pyper.examples;

import dev.pyper.Emitter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A zip file of sources, such as the JDK's {@code lib/src.zip}.
 *
 * <p>One {@link ZipFile} is shared by every reader of a JVM ({@code ZipFile} is safe for
 * concurrent reads), so the central directory is read once, not once per file. In the JVM that
 * opened the corpus it is opened at once and closed by {@link #close()}; a copy that was
 * deserialized in a worker process opens its own on the first read and leaves it to the
 * {@code ZipFile}'s cleaner, which closes it when the copy is dropped or the process ends.
 */
final class ZipCorpus implements Corpus {

    private static final long serialVersionUID = 1L;

    /**
     * Guards the first open in a worker JVM. A lock rather than {@code synchronized}, which pins a
     * virtual thread's carrier on JDK 21 to 23; static, since a transient field would be null in a
     * deserialized copy.
     */
    private static final ReentrantLock OPENING = new ReentrantLock();

    private final String file;
    /** Opened once per JVM; set under {@link #OPENING}. */
    private transient volatile ZipFile zip;

    private ZipCorpus(String file, ZipFile zip) {
        this.file = file;
        this.zip = zip;
    }

    static ZipCorpus open(Path file) {
        String name = file.toAbsolutePath().toString();
        try {
            return new ZipCorpus(name, new ZipFile(name));
        } catch (ZipException e) {
            throw new IllegalArgumentException("Not a zip file: " + file + " (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Emits the entries one by one through an {@link Enumeration}, which holds the zip's lock only
     * while it fetches the next entry. ({@code ZipFile.stream()} holds it while the consumer runs,
     * so an emit that waits for a full buffer would lock out every reader: a deadlock.)
     */
    @Override
    public void list(Emitter<SourceFile> out) throws IOException {
        Enumeration<? extends ZipEntry> entries = zip().entries();
        while (entries.hasMoreElements()) {
            ZipEntry entry = entries.nextElement();
            if (!entry.isDirectory() && Corpus.isJava(entry.getName())) {
                out.emit(new SourceFile(Corpus.moduleOf(entry.getName()), entry.getName()));
            }
        }
    }

    @Override
    public SourceText read(SourceFile source) throws IOException {
        ZipFile open = zip();
        ZipEntry entry = open.getEntry(source.path());
        if (entry == null) {
            throw new IOException("No entry " + source.path() + " in " + file);
        }
        try (InputStream in = open.getInputStream(entry)) {
            return new SourceText(source, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private ZipFile zip() throws IOException {
        ZipFile open = zip;
        if (open == null) {
            OPENING.lock();
            try {
                open = zip;
                if (open == null) {
                    open = new ZipFile(file);
                    zip = open;
                }
            } finally {
                OPENING.unlock();
            }
        }
        return open;
    }

    @Override
    public void close() throws IOException {
        ZipFile open = zip;
        if (open != null) {
            open.close();
        }
    }

    @Override
    public String toString() {
        return "zip " + file;
    }
}
