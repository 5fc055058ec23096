package dev.pyper.tck;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the kit does not check, with the reason: the one place that lists it, the resource
 * {@value #RESOURCE} next to this class (a Markdown table, the same that tck/README.md shows).
 *
 * <p>A row either names a whole rule ({@value #WHOLE_RULE}), which then has no test in the kit, or
 * a part of a rule whose other parts the kit's {@link RuleTest}s check. The build checks that every
 * rule of docs/SPEC.md has a test or a row, and the conformance report lists the rows.
 */
final class UncheckedRules {

    /** The resource, beside this class. */
    static final String RESOURCE = "unchecked-rules.md";

    /** What a row says in its second column when no part of the rule is checked. */
    static final String WHOLE_RULE = "the whole rule";

    /**
     * One row of the table.
     *
     * @param rule the rule's number, such as {@code "4.5"}
     * @param what what is not checked: {@value #WHOLE_RULE}, or a part of the rule
     * @param why why, and what checks it instead
     */
    record Row(String rule, String what, String why) {

        /** Whether no part of the rule is checked by the kit. */
        boolean wholeRule() {
            return WHOLE_RULE.equals(what);
        }
    }

    private UncheckedRules() {}

    /** The resource's text: the Markdown table, header included. */
    static String table() {
        try (InputStream in = UncheckedRules.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the kit's resource " + RESOURCE + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rows of the table, in its order. */
    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        List<String> lines = table().lines().filter(l -> l.startsWith("|")).toList();
        for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) { // after the header and its rule
            String[] cells = line.substring(1, line.endsWith("|") ? line.length() - 1 : line.length())
                    .split("\\|", 3);
            if (cells.length != 3) {
                throw new IllegalStateException(RESOURCE + ": a row needs three cells: " + line);
            }
            rows.add(new Row(cells[0].strip(), cells[1].strip(), cells[2].strip()));
        }
        return rows;
    }
}
