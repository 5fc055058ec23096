package dev.pyper.examples.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Java code blocks of one Markdown file, turned into one Java class that the build compiles
 * and runs, so that the docs cannot drift from the API.
 *
 * <p>How a file becomes a class: every {@code ```java} block is read in order. At the top level of
 * a block, {@code import} lines go to the top of the class's file; declarations (methods, fields,
 * types: lines that start with {@code static}, {@code record}, {@code class}, {@code interface},
 * {@code enum} or an annotation) become members of the class; everything else is the block's
 * statements, which become a method of their own, {@code block1()}, {@code block2()}, …, run in
 * order. A statement that ends in a comment showing a value ({@code // [1, 2, 3]},
 * {@code // 42}, {@code // true}, {@code // "text"}, optionally followed by {@code  — prose}) is
 * checked: its value's {@code String.valueOf} must be that text. The class is named by a
 * {@code <!-- java-class: Name -->} comment in the file (default {@code Docs}), so that method
 * references such as {@code Tour::addOne} work, and put in a package by a
 * {@code <!-- java-package: name -->} comment where its blocks use package-private classes; a {@code <!-- compile-only -->} comment right
 * before a block compiles it without running it (for blocks that need a network, a cluster or a
 * long time).
 */
final class MarkdownJava {

    private static final Pattern CLASS_NAME = Pattern.compile("<!--\\s*java-class:\\s*(\\w+)\\s*-->");
    private static final Pattern PACKAGE = Pattern.compile("<!--\\s*java-package:\\s*([\\w.]+)\\s*-->");
    private static final Pattern COMPILE_ONLY = Pattern.compile("<!--\\s*compile-only\\s*-->");
    private static final Pattern DECLARATION = Pattern.compile(
            "^(static|public|private|protected|final|abstract|record|class|interface|enum|sealed|@\\w+)\\b.*");
    private static final Pattern RESULT =
            Pattern.compile("^(.*?);\\s*//\\s*(\\[.*?\\]|-?\\d[\\d_.]*|true|false|\"[^\"]*\")(\\s+—.*)?\\s*$");
    private static final Pattern LOCAL_DECLARATION =
            Pattern.compile("^\\s*(final\\s+)?[\\w.<>\\[\\], ?]+\\s+\\w+\\s*=.*", Pattern.DOTALL);

    /** One block of the file: where it starts, whether it runs, and its parts. */
    record Block(int line, boolean runs, List<String> imports, List<String> declarations, List<String> statements) {}

    private final Path file;
    private final String packageName;
    private final String className;
    private final List<Block> blocks;

    private MarkdownJava(Path file, String packageName, String className, List<Block> blocks) {
        this.file = file;
        this.packageName = packageName;
        this.className = className;
        this.blocks = blocks;
    }

    static MarkdownJava read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String className = "Docs";
        String packageName = null;
        List<Block> blocks = new ArrayList<>();
        String previous = "";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher name = CLASS_NAME.matcher(line);
            if (name.find()) {
                className = name.group(1);
            }
            Matcher pack = PACKAGE.matcher(line);
            if (pack.find()) {
                packageName = pack.group(1);
            }
            if (line.strip().equals("```java")) {
                boolean runs = !COMPILE_ONLY.matcher(previous).find();
                int start = i + 1;
                List<String> body = new ArrayList<>();
                for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                    body.add(lines.get(i));
                }
                blocks.add(split(body, start + 1, runs, file.getFileName().toString()));
            }
            if (!line.isBlank()) {
                previous = line;
            }
        }
        return new MarkdownJava(file, packageName, className, blocks);
    }

    List<Block> blocks() {
        return blocks;
    }

    /** The class's binary name, with its package where the file names one. */
    String className() {
        return packageName == null ? className : packageName + "." + className;
    }

    Path file() {
        return file;
    }

    /** Splits a block into imports, declarations and statements; {@code firstLine} is the block's first line in the file. */
    private static Block split(List<String> body, int firstLine, boolean runs, String fileName) {
        List<String> imports = new ArrayList<>();
        List<String> declarations = new ArrayList<>();
        List<String> statements = new ArrayList<>();
        int i = 0;
        while (i < body.size()) {
            String line = body.get(i);
            String code = line.strip();
            if (code.isEmpty() || code.startsWith("//")) {
                i++;
                continue;
            }
            int lineNumber = firstLine + i;
            StringBuilder chunk = new StringBuilder();
            int depth = 0;
            boolean opened = false;
            boolean declaration = DECLARATION.matcher(code).matches();
            // a chunk ends at depth 0: after a closing brace (a declaration with a body) or a semicolon
            while (i < body.size()) {
                String current = body.get(i);
                String bare = withoutComment(current);
                for (char c : bare.toCharArray()) {
                    if (c == '{' || c == '(') {
                        depth++;
                        opened |= c == '{';
                    } else if (c == '}' || c == ')') {
                        depth--;
                    }
                }
                chunk.append(current).append('\n');
                i++;
                String end = bare.strip();
                if (depth == 0
                        && (end.endsWith(";")
                                || declaration && opened && end.endsWith("}")
                                || end.endsWith("}") && !declaration)) {
                    break;
                }
            }
            String text = chunk.toString();
            if (code.startsWith("import ")) {
                imports.add(text.strip());
            } else if (declaration) {
                declarations.add("    // " + fileName + ":" + lineNumber + "\n" + indent(typesStatic(text)));
            } else {
                statements.add(checked(text, fileName + ":" + (firstLine + i - 1)));
            }
        }
        return new Block(firstLine, runs, imports, declarations, statements);
    }

    /** Nested types are members of the generated class: classes must be static to be used from its static methods. */
    private static String typesStatic(String declaration) {
        String stripped = declaration.stripLeading();
        return stripped.startsWith("class ")
                        || stripped.startsWith("final class ")
                        || stripped.startsWith("abstract class ")
                ? "static " + stripped
                : declaration;
    }

    /** A statement whose last line shows its value becomes a check of that value. */
    private static String checked(String statement, String where) {
        String trimmed = statement.stripTrailing();
        int lastBreak = trimmed.lastIndexOf('\n');
        String lastLine = trimmed.substring(lastBreak + 1);
        Matcher result = RESULT.matcher(lastLine);
        if (!result.matches() || LOCAL_DECLARATION.matcher(trimmed).matches()) {
            return statement;
        }
        String expression = (lastBreak < 0 ? "" : trimmed.substring(0, lastBreak + 1)) + result.group(1);
        String expected = result.group(2);
        return "check(" + expression.strip() + ", \""
                + expected.replace("\\", "\\\\").replace("\"", "\\\"") + "\", \"" + where + "\");\n";
    }

    private static String withoutComment(String line) {
        boolean inString = false;
        for (int i = 0; i < line.length() - 1; i++) {
            char c = line.charAt(i);
            if (c == '"' && (i == 0 || line.charAt(i - 1) != '\\')) {
                inString = !inString;
            } else if (!inString && c == '/' && line.charAt(i + 1) == '/') {
                return line.substring(0, i);
            } else if (!inString && c == '\'' && i + 2 < line.length() && line.charAt(i + 2) == '\'') {
                i += 2; // a char literal such as '{'
            }
        }
        return line;
    }

    private static String indent(String text) {
        return text.lines().map(l -> "    " + l).reduce((a, b) -> a + "\n" + b).orElse("") + "\n";
    }

    /** The whole class: the default imports, the blocks' imports, members, and one method per block. */
    String source() {
        StringBuilder b = new StringBuilder();
        if (packageName != null) {
            b.append("package ").append(packageName).append(";\n\n");
        }
        b.append("""
                import dev.pyper.*;
                import dev.pyper.function.*;
                import static dev.pyper.Task.*;
                import java.io.*;
                import java.net.*;
                import java.net.http.*;
                import java.nio.file.*;
                import java.time.*;
                import java.util.*;
                import java.util.concurrent.*;
                import java.util.function.*;
                import java.util.stream.*;
                """);
        blocks.forEach(block -> block.imports().forEach(i -> b.append(i).append('\n')));
        b.append("\n@SuppressWarnings(\"all\")\npublic class ")
                .append(className)
                .append(" {\n\n");
        for (Block block : blocks) {
            block.declarations().forEach(d -> b.append(d).append('\n'));
        }
        for (int n = 0; n < blocks.size(); n++) {
            b.append("    // ")
                    .append(file.getFileName())
                    .append(':')
                    .append(blocks.get(n).line())
                    .append('\n');
            b.append("    public static void block").append(n + 1).append("() throws Throwable {\n");
            blocks.get(n).statements().forEach(s -> b.append(indent(indent(s.stripTrailing()))));
            b.append("    }\n\n");
        }
        b.append("""
                    static void check(Object actual, String expected, String where) {
                        String shown = String.valueOf(actual);
                        if (expected.length() > 1 && expected.startsWith("\\"") && expected.endsWith("\\"")) {
                            expected = expected.substring(1, expected.length() - 1);
                        }
                        if (!shown.equals(expected)) {
                            throw new AssertionError(where + ": the docs show " + expected + ", the code gives " + shown);
                        }
                    }
                }
                """);
        return b.toString();
    }
}
