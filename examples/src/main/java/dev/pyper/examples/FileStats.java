package dev.pyper.examples;

import java.io.Serializable;
import java.util.Map;

/**
 * What the analysis found in one file. Every line is exactly one of blank, comment or code, so
 * {@code lines == blank + comment + code}.
 *
 * @param module the file's module
 * @param lines all lines
 * @param blank lines with nothing but white space
 * @param comment lines with comment text and no code
 * @param code lines with code (string literals count as code)
 * @param types declared classes, interfaces, enums, records and annotation types
 * @param methods declared methods and constructors
 * @param identifiers how often each identifier occurs in code (keywords and literals excluded)
 */
public record FileStats(
        String module,
        long lines,
        long blank,
        long comment,
        long code,
        long types,
        long methods,
        Map<String, Long> identifiers)
        implements Serializable {

    /** Copies the identifier counts. */
    public FileStats {
        identifiers = Map.copyOf(identifiers);
    }
}
