package dev.pyper.examples;

import dev.pyper.Emitter;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The join task's function: sums the files of each module and emits one {@link ModuleStats} per
 * module once its input has ended, in module-name order.
 */
final class ModuleJoin {

    private ModuleJoin() {}

    /**
     * Sums {@code files} per module.
     *
     * @param files every analysed file of the corpus
     * @param out where each module's totals go
     */
    static void byModule(Stream<FileStats> files, Emitter<ModuleStats> out) {
        Map<String, Tally> modules = new TreeMap<>();
        files.forEach(file ->
                modules.computeIfAbsent(file.module(), name -> new Tally()).add(file));
        modules.forEach((name, tally) -> out.emit(tally.toStats(name)));
    }
}
