package dev.pyper.examples;

import java.io.Serializable;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The totals of one module (or of the whole corpus): the sum of its files' {@link FileStats}.
 *
 * <p>Sums do not depend on the order in which files were added, so the result is the same
 * whichever worker analysed which file, on any executor.
 *
 * @param name the module's name
 * @param files the number of files
 * @param lines all lines
 * @param blank blank lines
 * @param comment comment lines
 * @param code code lines
 * @param types declared types
 * @param methods declared methods and constructors
 * @param identifiers how often each identifier occurs in code
 */
public record ModuleStats(
        String name,
        long files,
        long lines,
        long blank,
        long comment,
        long code,
        long types,
        long methods,
        Map<String, Long> identifiers)
        implements Serializable {

    /** Biggest first (by code lines), then by name: the order of the table. */
    public static final Comparator<ModuleStats> TABLE_ORDER =
            Comparator.comparingLong(ModuleStats::code).reversed().thenComparing(ModuleStats::name);

    /** Copies the identifier counts. */
    public ModuleStats {
        identifiers = Map.copyOf(identifiers);
    }

    /**
     * Sums modules, or files already summed per module, under one name.
     *
     * @param name the name of the sum
     * @param parts what to add up
     * @return the sum
     */
    public static ModuleStats sum(String name, List<ModuleStats> parts) {
        Tally tally = new Tally();
        parts.forEach(tally::add);
        return tally.toStats(name);
    }

    /**
     * The module's most frequent identifiers: by count, ties broken alphabetically, so the list is
     * the same on every run.
     *
     * @param n how many, at most
     * @return the identifiers, most frequent first
     */
    public List<Map.Entry<String, Long>> topIdentifiers(int n) {
        return identifiers.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(n)
                .toList();
    }
}
