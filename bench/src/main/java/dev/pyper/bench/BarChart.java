package dev.pyper.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * A horizontal bar chart, one bar per contender: the bar is the median from zero, a whisker the
 * min – max of the runs, an optional mark the contender's target; vertical reference lines (a
 * baseline, the ideal) across all bars. Labels sit left of the bars, each value right of its bar,
 * the legend under the title.
 *
 * @param id a prefix for element ids, unique on a page
 * @param title what the chart shows, naming the workload
 * @param subtitle where and when it was measured
 * @param axisLabel what the value axis counts, with its unit
 * @param tickText how a tick value is written
 * @param series the legend: a name and colour per kind of bar
 * @param bars the bars, top to bottom
 * @param references vertical lines across the bars
 * @param note a line under the axis, or empty
 */
record BarChart(
        String id,
        String title,
        String subtitle,
        String axisLabel,
        DoubleFunction<String> tickText,
        List<Series> series,
        List<Bar> bars,
        List<Reference> references,
        String note) {

    /** The chart's width in pixels. */
    static final double WIDTH = 820;
    /** Vertical space per bar. */
    static final double ROW = 26;
    /** A bar's thickness. */
    static final double BAR = 16;

    private static final double PAD = 16;

    /**
     * A kind of bar in the legend.
     *
     * @param name its legend entry
     * @param color its fill
     */
    record Series(String name, String color) {}

    /**
     * One bar.
     *
     * @param label the contender (and variant), left of the bar
     * @param series the index of its {@link Series}
     * @param value the bar's length: the median
     * @param low the whisker's start, or NaN for none
     * @param high the whisker's end, or NaN for none
     * @param target the value the contender is held to, drawn as a mark, or NaN for none
     * @param valueText the value as written right of the bar
     * @param detail the tooltip and accessible description of the bar
     */
    record Bar(
            String label,
            int series,
            double value,
            double low,
            double high,
            double target,
            String valueText,
            String detail) {}

    /**
     * A vertical line across all bars.
     *
     * @param value where
     * @param label what it is, written above the bars
     */
    record Reference(double value, String label) {}

    BarChart {
        series = List.copyOf(series);
        bars = List.copyOf(bars);
        references = List.copyOf(references);
        if (bars.isEmpty()) {
            throw new IllegalArgumentException("a bar chart needs a bar");
        }
        for (Bar b : bars) {
            if (b.series() < 0 || b.series() >= series.size()) {
                throw new IllegalArgumentException(
                        "bar '" + b.label() + "' names series " + b.series() + " of " + series.size());
            }
            if (!(b.value() >= 0) || Double.isInfinite(b.value())) {
                throw new IllegalArgumentException(
                        "bar '" + b.label() + "' has value " + b.value() + "; bars start at zero");
            }
        }
    }

    /** The SVG document. */
    String render() {
        List<String> subtitleLines = Svg.wrap(subtitle, 12, WIDTH - 2 * PAD);
        double legendY = 44 + (subtitleLines.size() - 1) * 17 + 26;
        boolean targets = bars.stream().anyMatch(b -> !Double.isNaN(b.target()));
        double referenceY = legendY + 26;
        double plotTop = referenceY + (references.isEmpty() ? 0 : 2 * 15) + 6;
        double plotBottom = plotTop + bars.size() * ROW;

        double labelWidth =
                bars.stream().mapToDouble(b -> Svg.width(b.label(), 12)).max().orElse(0);
        double valueWidth = bars.stream()
                .mapToDouble(b -> Svg.width(b.valueText(), 12))
                .max()
                .orElse(0);
        double left = PAD + labelWidth + 10;
        double right = WIDTH - PAD - valueWidth - 12;
        double max = 0;
        for (Bar b : bars) {
            max = Math.max(max, Math.max(b.value(), nanTo0(b.high())));
            max = Math.max(max, nanTo0(b.target()));
        }
        for (Reference r : references) {
            max = Math.max(max, r.value());
        }
        List<Double> ticks = Axis.linearTicks(0, max > 0 ? max : 1, 8);
        Axis x = Axis.linear(0, ticks.get(ticks.size() - 1), left, right);

        List<String> noteLines = note.isEmpty() ? List.of() : Svg.wrap(note, 11, WIDTH - 2 * PAD);
        double height = plotBottom + 48 + noteLines.size() * 15 + 8;
        Svg svg = new Svg(id, WIDTH, height, title, description());

        svg.text(PAD, 24, title, "font-size=\"16\" font-weight=\"bold\" fill=\"" + Svg.INK + "\"");
        for (int i = 0; i < subtitleLines.size(); i++) {
            svg.text(PAD, 44 + i * 17, subtitleLines.get(i), "fill=\"" + Svg.MUTED + "\"");
        }
        legend(svg, legendY, targets);

        for (double t : ticks) {
            svg.line(x.at(t), plotTop, x.at(t), plotBottom, "stroke=\"" + Svg.GRID + "\"");
            svg.text(
                    x.at(t),
                    plotBottom + 16,
                    tickText.apply(t),
                    "text-anchor=\"middle\" font-size=\"11\" fill=\"" + Svg.MUTED + "\"");
        }
        svg.line(left, plotTop, left, plotBottom, "stroke=\"" + Svg.INK + "\"");
        svg.text((left + right) / 2, plotBottom + 36, axisLabel, "text-anchor=\"middle\" fill=\"" + Svg.INK + "\"");

        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            double top = plotTop + i * ROW + (ROW - BAR) / 2;
            double mid = top + BAR / 2;
            svg.group(b.detail(), "");
            svg.text(left - 8, mid + 4, b.label(), "text-anchor=\"end\" fill=\"" + Svg.INK + "\"");
            svg.rect(
                    left,
                    top,
                    x.at(b.value()) - left,
                    BAR,
                    "fill=\"" + series.get(b.series()).color() + "\"");
            double end = x.at(b.value());
            if (!Double.isNaN(b.low()) && !Double.isNaN(b.high())) {
                String ink = "stroke=\"" + Svg.INK + "\" stroke-width=\"1.5\"";
                svg.line(x.at(b.low()), mid, x.at(b.high()), mid, ink);
                svg.line(x.at(b.low()), mid - 4, x.at(b.low()), mid + 4, ink);
                svg.line(x.at(b.high()), mid - 4, x.at(b.high()), mid + 4, ink);
                end = Math.max(end, x.at(b.high()));
            }
            if (!Double.isNaN(b.target())) {
                svg.rect(x.at(b.target()) - 1.5, top - 3, 3, BAR + 6, "fill=\"" + Svg.INK + "\"");
                end = Math.max(end, x.at(b.target()) + 2);
            }
            svg.text(end + 6, mid + 4, b.valueText(), "fill=\"" + Svg.INK + "\" " + Svg.HALO);
            svg.close();
        }

        double lastLabelEnd = Double.NEGATIVE_INFINITY;
        int row = 0;
        for (Reference r : references.stream()
                .sorted((a, b) -> Double.compare(a.value(), b.value()))
                .toList()) {
            double at = x.at(r.value());
            double half = Svg.width(r.label(), 11) / 2;
            double labelX = Math.min(Math.max(at, left + half), WIDTH - PAD - half);
            row = labelX - half < lastLabelEnd + 6 ? 1 - row : 0;
            lastLabelEnd = row == 0 ? labelX + half : Math.max(lastLabelEnd, labelX + half);
            svg.group(r.label(), "");
            svg.line(
                    at,
                    referenceY + row * 15 + 4,
                    at,
                    plotBottom,
                    "stroke=\"" + Svg.INK + "\" stroke-dasharray=\"5 4\"");
            svg.text(
                    labelX,
                    referenceY + row * 15,
                    r.label(),
                    "text-anchor=\"middle\" font-size=\"11\" fill=\"" + Svg.INK + "\" " + Svg.HALO);
            svg.close();
        }

        for (int i = 0; i < noteLines.size(); i++) {
            svg.text(PAD, plotBottom + 58 + i * 15, noteLines.get(i), "font-size=\"11\" fill=\"" + Svg.MUTED + "\"");
        }
        return svg.end();
    }

    private void legend(Svg svg, double y, boolean targets) {
        double at = PAD;
        for (Series s : series) {
            svg.rect(at, y - 10, 12, 12, "fill=\"" + s.color() + "\"");
            svg.text(at + 17, y, s.name(), "fill=\"" + Svg.INK + "\"");
            at += 17 + Svg.width(s.name(), 12) + 18;
        }
        String ink = "stroke=\"" + Svg.INK + "\" stroke-width=\"1.5\"";
        svg.line(at, y - 4, at + 12, y - 4, ink);
        svg.line(at, y - 8, at, y, ink);
        svg.line(at + 12, y - 8, at + 12, y, ink);
        svg.text(at + 17, y, "min – max of the runs", "fill=\"" + Svg.INK + "\"");
        at += 17 + Svg.width("min – max of the runs", 12) + 18;
        if (targets) {
            svg.rect(at + 4, y - 12, 3, 16, "fill=\"" + Svg.INK + "\"");
            svg.text(at + 17, y, "target", "fill=\"" + Svg.INK + "\"");
        }
    }

    private String description() {
        List<String> parts = new ArrayList<>();
        parts.add(Svg.sentence(title) + " " + Svg.sentence(subtitle) + " Bar chart of " + axisLabel
                + ", one bar per contender:");
        for (Bar b : bars) {
            parts.add(b.detail() + ";");
        }
        for (Reference r : references) {
            parts.add("reference line: " + r.label() + ";");
        }
        if (!note.isEmpty()) {
            parts.add(note);
        }
        return String.join(" ", parts);
    }

    private static double nanTo0(double value) {
        return Double.isNaN(value) ? 0 : value;
    }
}
