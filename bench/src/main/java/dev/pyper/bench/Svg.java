package dev.pyper.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes the text of one SVG document: the root with its accessible {@code <title>} and
 * {@code <desc>}, a white background (so that a chart stays readable on a dark page), and the few
 * elements the charts draw. Every piece of text goes through {@link #escape}; every coordinate
 * through {@link #num}, so the output does not depend on the default locale.
 */
final class Svg {

    /** The charts' typeface: the reader's system sans-serif, no web font to fetch. */
    static final String FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
    /** Text and axes. */
    static final String INK = "#1f2328";
    /** Secondary text: subtitles, tick labels, notes. */
    static final String MUTED = "#59636e";
    /** Grid lines. */
    static final String GRID = "#d8dee4";
    /** Colours for series, told apart by readers with colour vision deficiency too (Okabe and Ito). */
    static final List<String> PALETTE =
            List.of("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999999");

    /** Attributes that give text a white outline, so it stays legible where it crosses a line. */
    static final String HALO = "stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"";

    private final StringBuilder out = new StringBuilder();

    /**
     * Starts a document.
     *
     * @param id a prefix for the document's element ids, unique among charts shown on one page
     * @param width its width in pixels
     * @param height its height in pixels
     * @param title what it shows, in a few words (the accessible name)
     * @param desc the same in full: every figure shown, for readers who cannot see the chart
     */
    Svg(String id, double width, double height, String title, String desc) {
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(num(width))
                .append("\" height=\"")
                .append(num(height))
                .append("\" viewBox=\"0 0 ")
                .append(num(width))
                .append(' ')
                .append(num(height))
                .append("\" role=\"img\" aria-labelledby=\"")
                .append(escape(id))
                .append("-title ")
                .append(escape(id))
                .append("-desc\" font-family=\"")
                .append(escape(FONT))
                .append("\" font-size=\"12\">\n")
                .append("<title id=\"")
                .append(escape(id))
                .append("-title\">")
                .append(escape(title))
                .append("</title>\n")
                .append("<desc id=\"")
                .append(escape(id))
                .append("-desc\">")
                .append(escape(desc))
                .append("</desc>\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    }

    /**
     * Text; {@code attributes} are written as they are (use {@link #attr} for any that carry data).
     *
     * @return this
     */
    Svg text(double x, double y, String text, String attributes) {
        out.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y)).append('"');
        if (!attributes.isEmpty()) {
            out.append(' ').append(attributes);
        }
        out.append('>').append(escape(text)).append("</text>\n");
        return this;
    }

    /** A line; {@code attributes} as for {@link #text}. */
    Svg line(double x1, double y1, double x2, double y2, String attributes) {
        out.append("<line x1=\"")
                .append(num(x1))
                .append("\" y1=\"")
                .append(num(y1))
                .append("\" x2=\"")
                .append(num(x2))
                .append("\" y2=\"")
                .append(num(y2))
                .append("\" ")
                .append(attributes)
                .append("/>\n");
        return this;
    }

    /** A rectangle; {@code attributes} as for {@link #text}. */
    Svg rect(double x, double y, double width, double height, String attributes) {
        out.append("<rect x=\"")
                .append(num(x))
                .append("\" y=\"")
                .append(num(y))
                .append("\" width=\"")
                .append(num(width))
                .append("\" height=\"")
                .append(num(height))
                .append("\" ")
                .append(attributes)
                .append("/>\n");
        return this;
    }

    /** Opens a group whose {@code <title>} is the tooltip of everything in it; {@link #close()} ends it. */
    Svg group(String tooltip, String attributes) {
        out.append("<g").append(attributes.isEmpty() ? "" : " " + attributes).append(">");
        if (!tooltip.isEmpty()) {
            out.append("<title>").append(escape(tooltip)).append("</title>");
        }
        out.append('\n');
        return this;
    }

    /** Ends the innermost group. */
    Svg close() {
        out.append("</g>\n");
        return this;
    }

    /** Markup that the caller has built from {@link #escape}d text and {@link #num}bers. */
    Svg raw(String markup) {
        out.append(markup).append('\n');
        return this;
    }

    /** Ends the document and returns its text. */
    String end() {
        return out.append("</svg>\n").toString();
    }

    /** {@code name="value"}, the value escaped. */
    static String attr(String name, String value) {
        return name + "=\"" + escape(value) + "\"";
    }

    /**
     * The text as XML character data and attribute values: {@code & < > " '} as entities, and any
     * character that XML 1.0 does not allow (controls other than tab and line ends, lone
     * surrogates) as U+FFFD.
     */
    static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (Character.isHighSurrogate(c)
                            && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1))) {
                        b.append(c).append(text.charAt(++i));
                    } else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r'
                            || Character.isSurrogate(c)
                            || c == 0xFFFE
                            || c == 0xFFFF) {
                        b.append('\uFFFD');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** A coordinate: at most one decimal, none when whole, never in a locale's own digits or separators. */
    static String num(double value) {
        double rounded = Math.round(value * 10) / 10.0;
        if (rounded == 0) {
            return "0";
        }
        return rounded == Math.rint(rounded)
                ? Long.toString((long) rounded)
                : String.format(Locale.ROOT, "%.1f", rounded);
    }

    /** The text with a full stop at its end, unless it has one. */
    static String sentence(String text) {
        return text.endsWith(".") ? text : text + ".";
    }

    /** About how wide the text is in the charts' sans-serif at {@code fontSize}; generous, so that labels never collide. */
    static double width(String text, double fontSize) {
        return text.codePointCount(0, text.length()) * fontSize * 0.6;
    }

    /** The text broken at spaces into lines of at most {@code maxWidth} at {@code fontSize}. */
    static List<String> wrap(String text, double fontSize, double maxWidth) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && width(line + " " + word, fontSize) > maxWidth) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
