package dev.pyper.examples;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The analyse task's function: line kinds, declared types and methods, and identifier counts of
 * one file, from {@link JavaLexer}'s tokens. Identifiers are counted in code only, not in comments,
 * literals, {@code package} and {@code import} declarations, or {@code module-info.java}.
 *
 * <p>Declarations are recognised from the token sequence, as a reader skimming the code would:
 * a type is {@code class}, {@code interface}, {@code enum} or {@code record} followed by a name
 * (not {@code Foo.class}); a method or constructor is a name and a parenthesised list followed by
 * a body, {@code throws}, {@code default}, or (after a type, for abstract methods) {@code ;}. Calls
 * ({@code a.b()}, {@code new B()}, {@code return b();}) are not declarations. Enum constants with a
 * body are counted as methods; that is the known error of the heuristic.
 */
final class SourceAnalysis {

    /** Reserved words and literals: never identifiers. */
    static final Set<String> KEYWORDS = Set.of(
            "abstract",
            "assert",
            "boolean",
            "break",
            "byte",
            "case",
            "catch",
            "char",
            "class",
            "const",
            "continue",
            "default",
            "do",
            "double",
            "else",
            "enum",
            "extends",
            "final",
            "finally",
            "float",
            "for",
            "goto",
            "if",
            "implements",
            "import",
            "instanceof",
            "int",
            "interface",
            "long",
            "native",
            "new",
            "package",
            "private",
            "protected",
            "public",
            "return",
            "short",
            "static",
            "strictfp",
            "super",
            "switch",
            "synchronized",
            "this",
            "throw",
            "throws",
            "transient",
            "try",
            "void",
            "volatile",
            "while",
            "true",
            "false",
            "null",
            "_");

    /** Keywords that may stand right before a method's name: a return type, or a constructor's modifier. */
    private static final Set<String> BEFORE_NAME = Set.of(
            "boolean",
            "byte",
            "char",
            "short",
            "int",
            "long",
            "float",
            "double",
            "void",
            "public",
            "protected",
            "private");

    private static final Set<String> TYPE_KEYWORDS = Set.of("class", "interface", "enum");

    private SourceAnalysis() {}

    /**
     * Analyses a batch of files, one after the other: the demo's analyse task takes its files in
     * lists (rule 10.5), one hand-off per list, and one round trip per list to a worker JVM.
     *
     * @param sources the files and their texts
     * @return their statistics, in the same order
     */
    static List<FileStats> analyseAll(List<SourceText> sources) {
        List<FileStats> stats = new ArrayList<>(sources.size());
        for (SourceText source : sources) {
            stats.add(analyse(source));
        }
        return stats;
    }

    /**
     * Analyses one file.
     *
     * @param source the file and its text
     * @return its statistics
     */
    static FileStats analyse(SourceText source) {
        JavaLexer.Result scan = JavaLexer.scan(source.text());
        List<String> tokens = scan.tokens();
        long types = 0;
        long methods = 0;
        Map<String, Long> identifiers = new HashMap<>();
        boolean moduleDeclaration = source.file().path().endsWith("module-info.java"); // names of modules and packages
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if ((token.equals("package") || token.equals("import"))
                    && !at(tokens, i - 1).equals(".")) {
                i = endOfStatement(tokens, i); // qualified names of packages and imports are not counted
                continue;
            }
            if (isTypeDeclaration(tokens, i)) {
                types++;
            }
            if (isIdentifier(token)) {
                if (!moduleDeclaration) {
                    identifiers.merge(token, 1L, Long::sum);
                }
                if (isMethodDeclaration(tokens, i)) {
                    methods++;
                }
            }
        }
        long lines = scan.blank() + scan.comment() + scan.code();
        return new FileStats(
                source.file().module(), lines, scan.blank(), scan.comment(), scan.code(), types, methods, identifiers);
    }

    static boolean isIdentifier(String token) {
        return Character.isJavaIdentifierStart(token.charAt(0)) && !KEYWORDS.contains(token);
    }

    private static boolean isTypeDeclaration(List<String> tokens, int i) {
        String token = tokens.get(i);
        if (!TYPE_KEYWORDS.contains(token) && !token.equals("record")) {
            return false;
        }
        if (at(tokens, i - 1).equals(".") || !isIdentifier(at(tokens, i + 1))) {
            return false;
        }
        if (token.equals("record")) { // a contextual keyword: "record Name(" or "record Name<"
            String after = at(tokens, i + 2);
            return after.equals("(") || after.equals("<");
        }
        return true;
    }

    private static boolean isMethodDeclaration(List<String> tokens, int i) {
        if (!at(tokens, i + 1).equals("(")) {
            return false;
        }
        String before = at(tokens, i - 1);
        boolean afterType = isIdentifier(before) && !before.equals("yield") && !before.equals("record")
                || before.equals(">") && !at(tokens, i - 2).equals("-") // a generic type, not an arrow
                || before.equals("]")
                || BEFORE_NAME.contains(before);
        boolean afterMember = before.equals("{")
                || before.equals("}")
                || before.equals(";")
                || before.equals(")")
                || before.isEmpty();
        if (!afterType && !afterMember) {
            return false; // ".", "new", "=", "return", "(", ",", operators: a call or a record header
        }
        int close = matchingParenthesis(tokens, i + 1);
        if (close < 0) {
            return false;
        }
        String after = at(tokens, close + 1);
        return switch (after) {
            case "{", "throws" -> true;
            case ";", "default" -> afterType; // abstract, interface or annotation method
            default -> false;
        };
    }

    private static int endOfStatement(List<String> tokens, int i) {
        int end = i;
        while (end < tokens.size() && !tokens.get(end).equals(";")) {
            end++;
        }
        return end;
    }

    private static int matchingParenthesis(List<String> tokens, int open) {
        int depth = 0;
        for (int j = open; j < tokens.size(); j++) {
            String token = tokens.get(j);
            if (token.equals("(")) {
                depth++;
            } else if (token.equals(")") && --depth == 0) {
                return j;
            }
        }
        return -1;
    }

    private static String at(List<String> tokens, int i) {
        return i >= 0 && i < tokens.size() ? tokens.get(i) : "";
    }
}
