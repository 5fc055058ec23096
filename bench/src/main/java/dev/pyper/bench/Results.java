package dev.pyper.bench;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A report's rows as numbers: the CSV file that the harness writes beside the markdown report
 * ({@code docs/benchmarks.csv} beside {@code docs/benchmarks.md}), from which the charts are drawn
 * and can be drawn again without measuring ({@code bench.chartsOnly=true}).
 *
 * <p>One line per table row (RFC 4180: comma-separated, a field with a comma, quote or line break
 * in double quotes), in the columns of {@link #HEADER}: the workload, the case and contender as
 * the table names them, whether the contender is a Pyper executor, the unit
 * ({@link Row.Figures}), the median, min and max of the runs and how many, the ideal that the
 * median is compared with, the verdict, the table's "against the target" cell, and the machine
 * and date of the run. A number that a row does not have is empty; numbers keep six significant
 * digits.
 *
 * @param rows the rows, in report order
 */
record Results(List<Result> rows) {

    /** The first line of the file. */
    static final String HEADER =
            "workload,case,contender,pyper,unit,median,min,max,runs,ideal,verdict,note,machine,date";

    Results {
        rows = List.copyOf(rows);
    }

    /**
     * One row.
     *
     * @param workload {@code W1} … {@code W14}
     * @param caseName the case, such as {@code W=100, N=2000}
     * @param contender the contender, such as {@code threads}
     * @param pyper whether the contender is a Pyper executor
     * @param figures the numbers, or null for a case not measured
     * @param verdict whether the target is met
     * @param note the table's "against the target" cell
     * @param machine the machine, as the report's header describes it
     * @param date when the run started
     */
    record Result(
            String workload,
            String caseName,
            String contender,
            boolean pyper,
            Row.Figures figures,
            Row.Verdict verdict,
            String note,
            String machine,
            String date) {}

    /** The file of results that belongs to {@code report}: {@code benchmarks.csv} beside {@code benchmarks.md}. */
    static Path beside(Path report) {
        String name = report.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return report.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".csv");
    }

    /** The rows of one workload. */
    List<Result> of(String workload) {
        return rows.stream().filter(r -> r.workload().equals(workload)).toList();
    }

    /** The file's text. */
    String csv() {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (Result r : rows) {
            Row.Figures f = r.figures();
            List<String> fields = List.of(
                    r.workload(),
                    r.caseName(),
                    r.contender(),
                    Boolean.toString(r.pyper()),
                    f == null ? "" : f.unit(),
                    f == null ? "" : number(f.median()),
                    f == null ? "" : number(f.min()),
                    f == null ? "" : number(f.max()),
                    f == null || f.runs() == 0 ? "" : Integer.toString(f.runs()),
                    f == null ? "" : number(f.ideal()),
                    verdict(r.verdict()),
                    r.note(),
                    r.machine(),
                    r.date());
            out.append(String.join(",", fields.stream().map(Results::quote).toList()))
                    .append('\n');
        }
        return out.toString();
    }

    /** Writes {@link #csv()} to {@code file}. */
    void write(Path file) throws IOException {
        Files.writeString(file, csv(), StandardCharsets.UTF_8);
    }

    /**
     * Reads a file that {@link #write} wrote.
     *
     * @param file the file
     * @return its rows
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException naming the line, if it is not such a file
     */
    static Results read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Parses the text of {@link #csv()}. */
    static Results parse(String text) {
        List<List<String>> records = records(text);
        if (records.isEmpty() || !String.join(",", records.get(0)).equals(HEADER)) {
            throw new IllegalArgumentException("not a results file: its first line is not '" + HEADER + "'");
        }
        List<Result> rows = new ArrayList<>();
        for (int i = 1; i < records.size(); i++) {
            List<String> f = records.get(i);
            if (f.size() != 14) {
                throw new IllegalArgumentException("record " + (i + 1) + " has " + f.size() + " fields, not 14: " + f);
            }
            try {
                Row.Figures figures = f.get(4).isEmpty()
                        ? null
                        : new Row.Figures(
                                f.get(4),
                                value(f.get(5)),
                                value(f.get(6)),
                                value(f.get(7)),
                                f.get(8).isEmpty() ? 0 : Integer.parseInt(f.get(8)),
                                value(f.get(9)));
                rows.add(new Result(
                        f.get(0),
                        f.get(1),
                        f.get(2),
                        Boolean.parseBoolean(f.get(3)),
                        figures,
                        f.get(10).isEmpty()
                                ? Row.Verdict.NONE
                                : Row.Verdict.valueOf(f.get(10).toUpperCase(Locale.ROOT)),
                        f.get(11),
                        f.get(12),
                        f.get(13)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("record " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return new Results(rows);
    }

    /** The records of RFC 4180 text; a trailing line break ends the last record. */
    private static List<List<String>> records(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            any = true;
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                fields.add(field.toString());
                field.setLength(0);
                records.add(fields);
                fields = new ArrayList<>();
                any = false;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("a quoted field is not closed at the end of the file");
        }
        if (any) {
            fields.add(field.toString());
            records.add(fields);
        }
        return records;
    }

    private static String quote(String field) {
        return field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")
                ? "\"" + field.replace("\"", "\"\"") + "\""
                : field;
    }

    private static String number(double value) {
        if (!Double.isFinite(value)) {
            return "";
        }
        return new BigDecimal(value)
                .round(new MathContext(6))
                .stripTrailingZeros()
                .toPlainString();
    }

    private static double value(String field) {
        return field.isEmpty() ? Double.NaN : Double.parseDouble(field);
    }

    private static String verdict(Row.Verdict verdict) {
        return verdict == Row.Verdict.NONE ? "" : verdict.name().toLowerCase(Locale.ROOT);
    }
}
