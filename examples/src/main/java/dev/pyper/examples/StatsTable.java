package dev.pyper.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * The result table: one row per module, biggest first, then the totals and the corpus's most
 * frequent identifiers.
 *
 * <p>The table holds nothing that depends on how the run went (no times, no executor), so every
 * executor prints the same table for the same corpus.
 */
final class StatsTable {

    private record Column(String title, ToLongFunction<ModuleStats> value) {}

    private static final List<Column> COLUMNS = List.of(
            new Column("files", ModuleStats::files),
            new Column("lines", ModuleStats::lines),
            new Column("code", ModuleStats::code),
            new Column("comment", ModuleStats::comment),
            new Column("blank", ModuleStats::blank),
            new Column("types", ModuleStats::types),
            new Column("methods", ModuleStats::methods));

    private StatsTable() {}

    /**
     * Renders the table.
     *
     * @param modules one entry per module, in any order
     * @param top how many identifiers to show per module and overall; 0 for none
     * @return the table's lines
     */
    static List<String> render(List<ModuleStats> modules, int top) {
        List<ModuleStats> rows =
                modules.stream().sorted(ModuleStats.TABLE_ORDER).toList();
        ModuleStats total = ModuleStats.sum("total", rows);
        int nameWidth = "module".length();
        for (ModuleStats row : rows) {
            nameWidth = Math.max(nameWidth, row.name().length());
        }
        int[] widths = new int[COLUMNS.size()];
        for (int c = 0; c < COLUMNS.size(); c++) {
            widths[c] = Math.max(
                    COLUMNS.get(c).title().length(),
                    number(COLUMNS.get(c).value().applyAsLong(total)).length());
        }
        List<String> lines = new ArrayList<>();
        String header = row(
                nameWidth,
                widths,
                "module",
                COLUMNS.stream().map(Column::title).toList(),
                top > 0 ? "top identifiers" : "");
        lines.add(header);
        for (ModuleStats module : rows) {
            lines.add(row(nameWidth, widths, module.name(), values(module), names(module, top)));
        }
        lines.add("-".repeat(header.length()));
        lines.add(row(nameWidth, widths, total.name(), values(total), names(total, top)));
        if (top > 0) {
            lines.add("most frequent identifiers: "
                    + total.topIdentifiers(top).stream()
                            .map(entry -> entry.getKey() + " " + number(entry.getValue()))
                            .collect(Collectors.joining(", ")));
        }
        return lines;
    }

    private static List<String> values(ModuleStats module) {
        return COLUMNS.stream()
                .map(column -> number(column.value().applyAsLong(module)))
                .toList();
    }

    private static String names(ModuleStats module, int top) {
        return module.topIdentifiers(top).stream().map(Map.Entry::getKey).collect(Collectors.joining(", "));
    }

    private static String row(int nameWidth, int[] widths, String name, List<String> cells, String last) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + nameWidth + "s", name));
        for (int c = 0; c < cells.size(); c++) {
            line.append(String.format(Locale.ROOT, "  %" + widths[c] + "s", cells.get(c)));
        }
        if (!last.isEmpty()) {
            line.append("  ").append(last);
        }
        return line.toString();
    }

    static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
