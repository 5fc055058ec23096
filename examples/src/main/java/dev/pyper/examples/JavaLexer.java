package dev.pyper.examples;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits Java source text into lines by kind (blank, comment, code) and code tokens.
 *
 * <p>A small hand-written scanner, good enough for statistics, not a compiler: it knows
 * {@code //} and {@code /* *}{@code /} comments, string and character literals with escapes, and
 * text blocks, so that comment markers inside strings and quotes inside comments are not
 * mistaken. Unicode escapes outside literals are not translated.
 *
 * <p>A line with nothing but white space is blank, whatever it is inside of; otherwise it is code
 * if any of it is code (literals included), else comment. Tokens are identifiers and keywords as
 * they are, numbers as {@code "0"}, string and text-block literals as {@code "\"\""}, character
 * literals as {@code "''"}, and every other character on its own.
 */
final class JavaLexer {

    /** What a scan found. */
    record Result(long blank, long comment, long code, List<String> tokens) {}

    private enum State {
        CODE,
        LINE_COMMENT,
        BLOCK_COMMENT,
        STRING,
        CHAR,
        TEXT_BLOCK
    }

    static final String STRING = "\"\"";
    static final String CHAR = "''";
    static final String NUMBER = "0";

    private final String text;
    private final List<String> tokens = new ArrayList<>();
    private State state = State.CODE;
    private boolean lineHasCode;
    private boolean lineHasComment;
    private boolean lineHasText;
    private long blank;
    private long comment;
    private long code;

    private JavaLexer(String text) {
        this.text = text;
    }

    /**
     * Scans one file.
     *
     * @param text the file's text
     * @return line counts and code tokens
     */
    static Result scan(String text) {
        JavaLexer lexer = new JavaLexer(text);
        lexer.run();
        return new Result(lexer.blank, lexer.comment, lexer.code, lexer.tokens);
    }

    private void run() {
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                i += (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') ? 2 : 1;
                endLine();
                continue;
            }
            if (!Character.isWhitespace(c)) {
                lineHasText = true;
            }
            i = switch (state) {
                case CODE -> code(i);
                case LINE_COMMENT -> comment(i + 1);
                case BLOCK_COMMENT -> startsWith(i, "*/") ? enter(State.CODE, i + 2) : comment(i + 1);
                case STRING -> literal(i, '"');
                case CHAR -> literal(i, '\'');
                case TEXT_BLOCK -> textBlock(i);
            };
        }
        if (lineHasText || lineHasCode || lineHasComment) {
            endLine();
        }
    }

    private int code(int i) {
        char c = text.charAt(i);
        if (Character.isWhitespace(c)) {
            return i + 1;
        }
        if (startsWith(i, "//")) {
            lineHasComment = true;
            return enter(State.LINE_COMMENT, i + 2);
        }
        if (startsWith(i, "/*")) {
            lineHasComment = true;
            return enter(State.BLOCK_COMMENT, i + 2);
        }
        lineHasCode = true;
        if (startsWith(i, "\"\"\"")) {
            tokens.add(STRING);
            return enter(State.TEXT_BLOCK, i + 3);
        }
        if (c == '"') {
            tokens.add(STRING);
            return enter(State.STRING, i + 1);
        }
        if (c == '\'') {
            tokens.add(CHAR);
            return enter(State.CHAR, i + 1);
        }
        if (Character.isJavaIdentifierStart(c)) {
            int end = i + 1;
            while (end < text.length() && Character.isJavaIdentifierPart(text.charAt(end))) {
                end++;
            }
            tokens.add(text.substring(i, end));
            return end;
        }
        if (Character.isDigit(c)) {
            int end = i + 1;
            while (end < text.length()
                    && (Character.isLetterOrDigit(text.charAt(end))
                            || text.charAt(end) == '_'
                            || text.charAt(end) == '.')) {
                end++;
            }
            tokens.add(NUMBER);
            return end;
        }
        tokens.add(String.valueOf(c));
        return i + 1;
    }

    private int comment(int next) {
        lineHasComment = true;
        return next;
    }

    /** Inside a string or character literal: an escape skips the next character; the quote ends it. */
    private int literal(int i, char quote) {
        lineHasCode = true;
        char c = text.charAt(i);
        if (c == '\\') {
            return escaped(i);
        }
        return c == quote ? enter(State.CODE, i + 1) : i + 1;
    }

    private int textBlock(int i) {
        lineHasCode = true;
        if (text.charAt(i) == '\\') {
            return escaped(i);
        }
        return startsWith(i, "\"\"\"") ? enter(State.CODE, i + 3) : i + 1;
    }

    /** Skips a backslash and the character it escapes, unless that is a line end (counted by the loop). */
    private int escaped(int i) {
        boolean lineEnd = i + 1 < text.length() && (text.charAt(i + 1) == '\n' || text.charAt(i + 1) == '\r');
        return lineEnd ? i + 1 : i + 2;
    }

    private int enter(State next, int i) {
        state = next;
        return i;
    }

    private void endLine() {
        if (!lineHasText) {
            blank++;
        } else if (lineHasCode) {
            code++;
        } else if (lineHasComment) {
            comment++;
        } else {
            blank++;
        }
        if (state == State.LINE_COMMENT || state == State.STRING || state == State.CHAR) {
            state = State.CODE; // a line comment ends here; an unclosed literal is given up
        }
        lineHasCode = false;
        lineHasComment = false;
        lineHasText = false;
    }

    private boolean startsWith(int i, String s) {
        return text.startsWith(s, i);
    }
}
