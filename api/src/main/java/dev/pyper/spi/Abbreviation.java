package dev.pyper.spi;

/**
 * How errors and log lines show a user's value, such as the input of a failed invocation: its
 * text, cut to at most {@value #MAX_LENGTH} characters, never failing (rules 4.1, 8.6). A 10 MB
 * string or a record that holds a secret never lands whole in a message; executors show inputs
 * only through this.
 */
public final class Abbreviation {

    /** The most characters of a value that a message shows, the ellipsis included. */
    public static final int MAX_LENGTH = 200;

    private static final String ELLIPSIS = "...";

    private Abbreviation() {}

    /**
     * The value's text, at most {@value #MAX_LENGTH} characters: {@code String.valueOf(value)},
     * cut with {@code "..."} where it is longer; a {@code toString()} that throws is named instead.
     * A {@link CharSequence} is cut before its text is copied.
     *
     * @param value any value, null included
     * @return the bounded text
     */
    public static String of(Object value) {
        CharSequence text;
        try {
            text = value instanceof CharSequence chars ? chars : String.valueOf(value);
        } catch (RuntimeException | StackOverflowError e) {
            text = "<" + value.getClass().getName() + ": toString() threw "
                    + e.getClass().getName() + ">";
        }
        if (text.length() <= MAX_LENGTH) {
            return text.toString();
        }
        return text.subSequence(0, MAX_LENGTH - ELLIPSIS.length()) + ELLIPSIS;
    }
}
