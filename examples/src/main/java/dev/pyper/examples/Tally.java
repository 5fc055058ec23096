package dev.pyper.examples;

import java.util.HashMap;
import java.util.Map;

/**
 * Adds up files or modules into one {@link ModuleStats}: the one place where statistics are
 * summed. Not thread-safe: each join worker keeps its own.
 */
final class Tally {

    private long files;
    private long lines;
    private long blank;
    private long comment;
    private long code;
    private long types;
    private long methods;
    private final Map<String, Long> identifiers = new HashMap<>();

    /** Adds one file. */
    void add(FileStats file) {
        add(
                1,
                file.lines(),
                file.blank(),
                file.comment(),
                file.code(),
                file.types(),
                file.methods(),
                file.identifiers());
    }

    /** Adds a module's totals. */
    void add(ModuleStats module) {
        add(
                module.files(),
                module.lines(),
                module.blank(),
                module.comment(),
                module.code(),
                module.types(),
                module.methods(),
                module.identifiers());
    }

    private void add(
            long files,
            long lines,
            long blank,
            long comment,
            long code,
            long types,
            long methods,
            Map<String, Long> identifiers) {
        this.files += files;
        this.lines += lines;
        this.blank += blank;
        this.comment += comment;
        this.code += code;
        this.types += types;
        this.methods += methods;
        identifiers.forEach((identifier, count) -> this.identifiers.merge(identifier, count, Long::sum));
    }

    /** The sum so far, under a name. */
    ModuleStats toStats(String name) {
        return new ModuleStats(name, files, lines, blank, comment, code, types, methods, identifiers);
    }
}
