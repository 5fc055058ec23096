package dev.pyper.examples;

import dev.pyper.Emitter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A directory tree of sources. Holds the root as a string, since {@link Path} is not serializable.
 */
final class DirectoryCorpus implements Corpus {

    private static final long serialVersionUID = 1L;

    private final String root;

    DirectoryCorpus(Path root) {
        this.root = root.toAbsolutePath().toString();
    }

    @Override
    public void list(Emitter<SourceFile> out) throws IOException {
        Path base = Path.of(root);
        try (Stream<Path> paths = Files.walk(base)) {
            paths.filter(Files::isRegularFile)
                    .map(path -> base.relativize(path)
                            .toString()
                            .replace(path.getFileSystem().getSeparator(), "/"))
                    .filter(Corpus::isJava)
                    .forEach(path -> out.emit(new SourceFile(Corpus.moduleOf(path), path)));
        }
    }

    @Override
    public SourceText read(SourceFile file) throws IOException {
        return new SourceText(file, Files.readString(Path.of(root, file.path()), StandardCharsets.UTF_8));
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
        return "directory " + root;
    }
}
