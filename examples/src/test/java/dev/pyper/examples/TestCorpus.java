package dev.pyper.examples;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** A small corpus of Java files in two modules and at the top level, written as a directory or a zip. */
final class TestCorpus {

    /** Path inside the corpus to contents. */
    static final Map<String, String> FILES = files();

    private TestCorpus() {}

    private static Map<String, String> files() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("alpha/p/Shape.java", """
                package p;

                /** A shape. */
                public sealed interface Shape permits Circle {
                    double area(); // abstract
                }
                """);
        files.put("alpha/p/Circle.java", """
                package p;

                import java.util.List;

                /*
                 * A circle, with "quotes" in a comment.
                 */
                public record Circle(double radius) implements Shape {
                    @Override
                    public double area() {
                        return Math.PI * radius * radius; // not /* a block
                    }

                    static List<Circle> unit(int n) throws Exception {
                        String s = "// not a comment";
                        return List.of(new Circle(1.0));
                    }
                }
                """);
        files.put("beta/q/Main.java", """
                package q;

                class Main {
                    enum Colour { RED, GREEN }

                    Main() {
                    }

                    void run() {
                        String block = \"""
                            text /* inside */ a block
                            \""";
                        char c = '"';
                        run();
                    }
                }
                """);
        files.put("beta/q/notes.txt", "not java\n");
        files.put("Top.java", "class Top {}\n");
        return files;
    }

    /** Writes the corpus as a directory tree under {@code root}. */
    static Path writeDirectory(Path root) throws IOException {
        for (Map.Entry<String, String> file : FILES.entrySet()) {
            Path path = root.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
        }
        return root;
    }

    /**
     * Writes a zip of one entry whose local header is then broken: the central directory at the
     * end still lists the entry, but reading it fails ({@code ZipException: invalid LOC header}).
     */
    static Path writeCorruptZip(Path zip, String entry) throws IOException {
        try (OutputStream file = Files.newOutputStream(zip);
                ZipOutputStream out = new ZipOutputStream(file)) {
            out.putNextEntry(new ZipEntry(entry));
            out.write("class Broken {}\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        byte[] bytes = Files.readAllBytes(zip);
        bytes[0] = 0; // the first local header's signature, PK\3\4
        Files.write(zip, bytes);
        return zip;
    }

    /** Writes the corpus as a zip file. */
    static Path writeZip(Path zip) throws IOException {
        try (OutputStream file = Files.newOutputStream(zip);
                ZipOutputStream out = new ZipOutputStream(file)) {
            for (Map.Entry<String, String> entry : FILES.entrySet()) {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return zip;
    }
}
