package dev.pyper.bench;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The report's key comparisons as SVG charts, drawn from its {@link Results}: W1's items per
 * second per contender, W2's and W8's wall time against the ideal by workers, W3's speedup per
 * contender. The report embeds each under its workload's heading; the files go to
 * {@value #DIRECTORY}/ beside the report.
 */
final class Charts {

    /** The charts' directory, relative to the report. */
    static final String DIRECTORY = "charts";

    /** Values this many times the ideal or more are off the scale of a ratio-to-ideal chart. */
    static final double RATIO_CLIP = 3;

    private static final Pattern N = Pattern.compile("N=(\\d+)");
    private static final Pattern W = Pattern.compile("W=(\\d+)");
    private static final Pattern WORKERS = Pattern.compile("(\\d+) workers");

    private Charts() {}

    /**
     * One chart.
     *
     * @param workload the workload it shows
     * @param fileName its file in {@value #DIRECTORY}/, such as {@code w1.svg}
     * @param alt the text of its image link
     * @param svg the document
     */
    record Chart(String workload, String fileName, String alt, String svg) {

        /** The markdown image link, relative to the report. */
        String embed() {
            return "![" + alt + "](" + DIRECTORY + "/" + fileName + ")";
        }
    }

    /** Every chart that these results have the rows for, in report order. */
    static List<Chart> of(Results results) {
        List<Chart> charts = new ArrayList<>();
        for (String workload :
                results.rows().stream().map(Results.Result::workload).distinct().toList()) {
            of(workload, results.of(workload)).ifPresent(charts::add);
        }
        return charts;
    }

    /**
     * The chart of one workload, if it has one and the rows to draw it.
     *
     * @param workload {@code W1} … {@code W14}
     * @param rows the workload's rows
     * @return the chart, or empty
     */
    static Optional<Chart> of(String workload, List<Results.Result> rows) {
        return switch (workload) {
            case "W1" -> handOff(rows);
            case "W2" ->
                toIdeal(
                        rows,
                        "W2",
                        "W2 IO fan-out: wall time against the ideal, by workers",
                        "Target: Pyper within ×" + FanOutWorkload.TARGET + " of the ideal.",
                        FanOutWorkload.TARGET);
            case "W3" -> speedup(rows);
            case "W8" ->
                toIdeal(
                        rows,
                        "W8",
                        "W8 IO at scale: wall time against the ideal, by workers",
                        "Target: within ×" + IoAtScaleWorkload.TARGET
                                + " of the ideal at W=10,000 on virtual and at W=1,000 on threads; "
                                + "each case in a JVM of its own.",
                        IoAtScaleWorkload.TARGET);
            default -> Optional.empty();
        };
    }

    /**
     * Writes the charts into {@code directory}.
     *
     * @param charts the charts
     * @param directory where, created if need be
     * @return the files written
     * @throws IOException if one cannot be written
     */
    static List<Path> write(List<Chart> charts, Path directory) throws IOException {
        List<Path> written = new ArrayList<>();
        if (!charts.isEmpty()) {
            Files.createDirectories(directory);
        }
        for (Chart c : charts) {
            Path file = directory.resolve(c.fileName());
            Files.writeString(file, c.svg(), StandardCharsets.UTF_8);
            written.add(file);
        }
        return written;
    }

    /** W1: a bar per Pyper variant and per peer; reference lines at the two baselines of its target. */
    private static Optional<Chart> handOff(List<Results.Result> all) {
        List<Results.Result> rows = measured(all, Row.Figures.ITEMS_PER_SECOND);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        long usualN = mode(rows, r -> find(N, r.caseName()));
        Map<String, Integer> seriesIndex = new LinkedHashMap<>();
        List<BarChart.Series> series = new ArrayList<>();
        List<BarChart.Bar> bars = new ArrayList<>();
        boolean otherN = false;
        for (Results.Result r : rows) {
            String variant = r.caseName().replaceFirst("^N=\\d+,\\s*", "");
            String kind = (r.pyper() ? "Pyper, " : "peer, ") + variant;
            Integer index = seriesIndex.get(kind);
            if (index == null) {
                index = series.size();
                seriesIndex.put(kind, index);
                series.add(new BarChart.Series(
                        kind, r.pyper() ? (index == 0 ? Svg.PALETTE.get(0) : Svg.PALETTE.get(5)) : Svg.PALETTE.get(4)));
            }
            long n = find(N, r.caseName());
            String label = r.contender() + (r.pyper() ? ", " + variant : "");
            if (n != usualN) {
                label += ", N=" + grouped(n);
                otherN = true;
            }
            Row.Figures f = r.figures();
            bars.add(new BarChart.Bar(
                    label,
                    index,
                    f.median(),
                    f.min(),
                    f.max(),
                    Double.NaN,
                    Format.perSecond(f.median()),
                    label + ": " + Format.perSecond(f.median()) + spread(f, Format::perSecond) + verdict(r)));
        }
        List<BarChart.Reference> references = new ArrayList<>();
        rows.stream()
                .filter(r -> r.contender().equals("abq-chain"))
                .findFirst()
                .ifPresent(r -> references.add(new BarChart.Reference(
                        r.figures().median(),
                        "abq-chain " + Format.perSecond(r.figures().median()))));
        rows.stream()
                .filter(r -> r.contender().startsWith("reactor"))
                .max(Comparator.comparingDouble(r -> r.figures().median()))
                .ifPresent(r -> references.add(new BarChart.Reference(
                        r.figures().median(),
                        "best Reactor " + Format.perSecond(r.figures().median()))));
        String note = "Target: every in-JVM Pyper variant at or above both dashed lines."
                + (otherN
                        ? " N = " + grouped(usualN)
                                + " items per run unless the label says otherwise (slow contenders run fewer)."
                        : "");
        BarChart chart = new BarChart(
                "w1",
                "W1 hand-off: items per second through producer → x+1 → x*2, one worker each",
                measuredOn(rows),
                "million items per second (median of " + runs(rows) + ")",
                v -> plain(v / 1e6),
                series,
                bars,
                references,
                note);
        return Optional.of(new Chart(
                "W1", "w1.svg", "W1: items per second per contender, with the min–max of the runs", chart.render()));
    }

    /** W3: a bar per contender's speedup, a mark at its target, a line at the ideal (one per worker). */
    private static Optional<Chart> speedup(List<Results.Result> all) {
        List<Results.Result> rows = measured(all, Row.Figures.RATIO);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        List<BarChart.Series> series = List.of(
                new BarChart.Series("Pyper executor", Svg.PALETTE.get(0)),
                new BarChart.Series("peer", Svg.PALETTE.get(4)));
        List<BarChart.Bar> bars = new ArrayList<>();
        for (Results.Result r : rows) {
            Row.Figures f = r.figures();
            double target = CpuWorkload.target(r.contender(), r.pyper());
            bars.add(new BarChart.Bar(
                    r.contender(),
                    r.pyper() ? 0 : 1,
                    f.median(),
                    f.min(),
                    f.max(),
                    target,
                    Format.ratio(f.median()),
                    r.contender() + ": speedup " + Format.ratio(f.median()) + spread(f, Format::ratio)
                            + (Double.isNaN(target) ? "" : ", target " + Format.ratio(target)) + verdict(r)));
        }
        String caseName = rows.get(0).caseName();
        List<BarChart.Reference> references = new ArrayList<>();
        long workers = find(WORKERS, caseName);
        if (workers > 0) {
            references.add(new BarChart.Reference(workers, "ideal ×" + workers + " (" + workers + " workers)"));
        }
        String note = measured(all, Row.Figures.MILLIS).stream()
                .findFirst()
                .map(r -> "The sequential loop (×1): "
                        + Format.millis(r.figures().median()) + " median" + spread(r.figures(), Format::millis)
                        + ". Each speedup is the median of pairs: a sequential run, then a parallel one.")
                .orElse("");
        BarChart chart = new BarChart(
                "w3",
                "W3 CPU: speedup over a sequential loop, " + caseName + ", ~" + CpuWorkload.MILLIS_PER_ITEM
                        + " ms of CPU each",
                measuredOn(rows),
                "speedup on all workers (median of " + runs(rows) + ")",
                v -> "×" + plain(v),
                series,
                bars,
                references,
                note);
        return Optional.of(new Chart(
                "W3", "w3.svg", "W3: speedup over a sequential loop per contender, with targets", chart.render()));
    }

    /** W2, W8: a line per contender through its median over the ideal at each W. */
    private static Optional<Chart> toIdeal(
            List<Results.Result> all, String workload, String title, String targetNote, double target) {
        Map<String, List<LineChart.Point>> points = new LinkedHashMap<>();
        Map<String, Boolean> pyper = new LinkedHashMap<>();
        List<Results.Result> rows = measured(all, Row.Figures.MILLIS).stream()
                .filter(r -> !Double.isNaN(r.figures().ideal()) && find(W, r.caseName()) > 0)
                .toList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        for (Results.Result r : rows) {
            Row.Figures f = r.figures();
            long w = find(W, r.caseName());
            String ratio = Format.ratio(f.toIdeal());
            points.computeIfAbsent(r.contender(), k -> new ArrayList<>())
                    .add(new LineChart.Point(
                            w,
                            f.toIdeal(),
                            ratio + " at W=" + grouped(w),
                            r.caseName() + ": " + ratio + " ideal, " + Format.millis(f.median()) + " against "
                                    + Format.millis(f.ideal()) + spread(f, Format::millis) + verdict(r)));
            pyper.putIfAbsent(r.contender(), r.pyper());
        }
        List<LineChart.Series> series = new ArrayList<>();
        points.forEach((name, p) -> series.add(new LineChart.Series(name, pyper.get(name), p)));
        series.sort(Comparator.comparing(s -> !s.emphasis())); // Pyper's lines first (stable: table order otherwise)
        LineChart chart = new LineChart(
                workload.toLowerCase(Locale.ROOT),
                title,
                measuredOn(rows) + " N items × 20 ms sleep; ideal = ⌈N/W⌉ × 20 ms. " + targetNote,
                "workers W (log scale)",
                "wall time ÷ ideal (median of " + runs(rows) + ")",
                v -> grouped(Math.round(v)),
                v -> "×" + plain(v),
                RATIO_CLIP,
                series,
                List.of(
                        new LineChart.Reference(1, "ideal", false),
                        new LineChart.Reference(target, "target ×" + plain(target), true)));
        return Optional.of(new Chart(
                workload,
                workload.toLowerCase(Locale.ROOT) + ".svg",
                workload + ": wall time against the ideal by number of workers, one line per contender",
                chart.render()));
    }

    /** The rows measured in {@code unit}. */
    private static List<Results.Result> measured(List<Results.Result> rows, String unit) {
        return rows.stream()
                .filter(r -> r.figures() != null
                        && r.figures().unit().equals(unit)
                        && Double.isFinite(r.figures().median()))
                .toList();
    }

    /** {@code Measured 2026-11-27 03:44 UTC on 2 cores, … .} */
    private static String measuredOn(List<Results.Result> rows) {
        Results.Result first = rows.get(0);
        return "Measured " + first.date() + " on " + first.machine() + ".";
    }

    /** {@code 5 runs}, or {@code 5–9 runs} where cases differ. */
    private static String runs(List<Results.Result> rows) {
        int min = rows.stream().mapToInt(r -> r.figures().runs()).min().orElse(0);
        int max = rows.stream().mapToInt(r -> r.figures().runs()).max().orElse(0);
        return (min == max ? String.valueOf(min) : min + "–" + max) + " runs";
    }

    /** {@code , 7.64 M/s – 11.66 M/s over 5 runs}, or nothing for a single figure. */
    private static String spread(Row.Figures f, java.util.function.DoubleFunction<String> unit) {
        return f.runs() == 0 || Double.isNaN(f.min())
                ? ""
                : ", " + unit.apply(f.min()) + " – " + unit.apply(f.max()) + " over " + f.runs() + " runs";
    }

    private static String verdict(Results.Result r) {
        return switch (r.verdict()) {
            case MET -> "; target met";
            case MISSED -> "; target missed";
            case UNJUDGED -> "; target not judged, machine busy";
            default -> "";
        };
    }

    /** The number that {@code pattern}'s group 1 finds in {@code text}, or -1. */
    private static long find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The most common value of {@code key} over the rows. */
    private static long mode(List<Results.Result> rows, Function<Results.Result, Long> key) {
        return rows.stream()
                .collect(Collectors.groupingBy(key, LinkedHashMap::new, Collectors.counting()))
                .entrySet()
                .stream()
                .max(Map.Entry.comparingByValue())
                .orElseThrow()
                .getKey();
    }

    /** {@code 10,000}. */
    private static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A tick value with no more digits than it has: {@code 2}, {@code 1.2}, {@code 0.25}. */
    static String plain(double value) {
        String s = new BigDecimal(value)
                .round(new MathContext(6))
                .stripTrailingZeros()
                .toPlainString();
        return s.equals("-0") ? "0" : s;
    }
}
