package dev.pyper.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;

/**
 * A line chart on a logarithmic x axis, one line per contender, with horizontal reference lines
 * (the ideal, a target) named in the legend. The y axis is linear and shows the values up to {@code clipAbove}; a
 * value above it would squash every other line into a sliver, so it is drawn as an arrow at the
 * top edge and written out in a note under the chart instead. Lines of the emphasised series
 * (Pyper's executors) are solid, the others dashed; each series also has a marker shape of its
 * own, so no line is told apart by colour alone.
 *
 * @param id a prefix for element ids, unique on a page
 * @param title what the chart shows, naming the workload
 * @param subtitle where and when it was measured
 * @param xLabel what the x axis counts
 * @param yLabel what the y axis counts, with its unit
 * @param xTickText how an x tick value is written
 * @param yTickText how a y tick value is written
 * @param clipAbove values above this are off the scale (the axis may end lower, at a round tick above the largest value shown)
 * @param series the lines
 * @param references horizontal lines
 */
record LineChart(
        String id,
        String title,
        String subtitle,
        String xLabel,
        String yLabel,
        DoubleFunction<String> xTickText,
        DoubleFunction<String> yTickText,
        double clipAbove,
        List<Series> series,
        List<Reference> references) {

    /** The chart's width in pixels. */
    static final double WIDTH = 820;
    /** The plot area's height in pixels. */
    static final double PLOT_HEIGHT = 300;

    private static final double PAD = 16;
    private static final List<String> MARKERS =
            List.of("circle", "square", "diamond", "triangle", "cross", "circle-open", "square-open", "diamond-open");

    /**
     * One line.
     *
     * @param name its legend entry
     * @param emphasis drawn solid and thicker (Pyper) rather than dashed (a peer or baseline)
     * @param points its points; they are joined in order of x
     */
    record Series(String name, boolean emphasis, List<Point> points) {
        Series {
            points =
                    points.stream().sorted(Comparator.comparingDouble(Point::x)).toList();
        }
    }

    /**
     * One point.
     *
     * @param x on the log axis, positive
     * @param y on the linear axis
     * @param label short, for the note on values off the scale, such as {@code ×50.44 at W=1,000}
     * @param detail the tooltip and accessible description
     */
    record Point(double x, double y, String label, String detail) {}

    /**
     * A horizontal line.
     *
     * @param y where
     * @param label what it is, written at its right end
     * @param dashed dashed (a target) or solid (the ideal)
     */
    record Reference(double y, String label, boolean dashed) {}

    LineChart {
        series = List.copyOf(series);
        references = List.copyOf(references);
        if (series.stream().allMatch(s -> s.points().isEmpty())) {
            throw new IllegalArgumentException("a line chart needs a point");
        }
        for (Series s : series) {
            for (Point p : s.points()) {
                if (!(p.x() > 0) || !Double.isFinite(p.y())) {
                    throw new IllegalArgumentException("point of '" + s.name() + "' at x " + p.x() + ", y " + p.y()
                            + ": x must be positive (a log axis), y finite");
                }
            }
        }
    }

    /** The y ticks: round values from below the smallest shown value (or reference) to above the largest. */
    List<Double> yTicks() {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (Point p : s.points()) {
                if (p.y() <= clipAbove) {
                    low = Math.min(low, p.y());
                    high = Math.max(high, p.y());
                }
            }
        }
        for (Reference r : references) {
            low = Math.min(low, r.y());
            high = Math.max(high, r.y());
        }
        if (low == Double.POSITIVE_INFINITY) { // every point off the scale and no reference
            low = 0;
            high = clipAbove;
        }
        return Axis.linearTicks(low, high + (high - low) * 0.05, 5);
    }

    /** The x ticks: the powers of ten around the points. */
    List<Double> xTicks() {
        double low = Double.POSITIVE_INFINITY;
        double high = 0;
        for (Series s : series) {
            for (Point p : s.points()) {
                low = Math.min(low, p.x());
                high = Math.max(high, p.x());
            }
        }
        return Axis.decades(low, high);
    }

    /** The SVG document. */
    String render() {
        List<String> subtitleLines = Svg.wrap(subtitle, 12, WIDTH - 2 * PAD);
        double plotTop = 30 + subtitleLines.size() * 17 + 24;
        double plotBottom = plotTop + PLOT_HEIGHT;
        double legendWidth = java.util.stream.Stream.concat(
                                series.stream().map(Series::name),
                                references.stream().map(Reference::label))
                        .mapToDouble(name -> Svg.width(name, 12))
                        .max()
                        .orElse(0)
                + 44;
        double left = PAD + 56;
        double right = WIDTH - PAD - legendWidth - 12;

        List<Double> yTicks = yTicks();
        List<Double> xTicks = xTicks();
        Axis y = Axis.linear(yTicks.get(0), yTicks.get(yTicks.size() - 1), plotBottom, plotTop);
        Axis x = Axis.log(xTicks.get(0), xTicks.get(xTicks.size() - 1), left + 14, right - 14);

        Map<String, List<String>> offScale = new LinkedHashMap<>();
        for (Series s : series) {
            for (Point p : s.points()) {
                if (p.y() > y.to()) {
                    offScale.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(p.label());
                }
            }
        }
        List<String> noteLines = new ArrayList<>();
        if (!offScale.isEmpty()) {
            List<String> parts = new ArrayList<>();
            offScale.forEach((name, labels) -> parts.add(name + " " + String.join(", ", labels)));
            noteLines.addAll(Svg.wrap("▲ Off the scale: " + String.join("; ", parts) + ".", 11, WIDTH - 2 * PAD));
        }
        double height = plotBottom + 52 + noteLines.size() * 15 + 6;
        Svg svg = new Svg(id, WIDTH, height, title, description(y.to()));

        svg.text(PAD, 24, title, "font-size=\"16\" font-weight=\"bold\" fill=\"" + Svg.INK + "\"");
        for (int i = 0; i < subtitleLines.size(); i++) {
            svg.text(PAD, 44 + i * 17, subtitleLines.get(i), "fill=\"" + Svg.MUTED + "\"");
        }
        svg.raw("<defs><clipPath id=\"" + Svg.escape(id) + "-plot\"><rect x=\"" + Svg.num(left) + "\" y=\""
                + Svg.num(plotTop) + "\" width=\"" + Svg.num(right - left) + "\" height=\"" + Svg.num(PLOT_HEIGHT)
                + "\"/></clipPath></defs>");

        for (double t : yTicks) {
            svg.line(left, y.at(t), right, y.at(t), "stroke=\"" + Svg.GRID + "\"");
            svg.text(
                    left - 6,
                    y.at(t) + 4,
                    yTickText.apply(t),
                    "text-anchor=\"end\" font-size=\"11\" fill=\"" + Svg.MUTED + "\"");
        }
        for (int i = 0; i < xTicks.size(); i++) {
            double t = xTicks.get(i);
            svg.line(x.at(t), plotTop, x.at(t), plotBottom, "stroke=\"" + Svg.GRID + "\"");
            svg.text(
                    x.at(t),
                    plotBottom + 16,
                    xTickText.apply(t),
                    "text-anchor=\"middle\" font-size=\"11\" fill=\"" + Svg.MUTED + "\"");
            if (i + 1 < xTicks.size()) {
                for (int m = 2; m <= 9; m++) { // minor ticks of the log scale
                    svg.line(x.at(t * m), plotBottom, x.at(t * m), plotBottom + 4, "stroke=\"" + Svg.MUTED + "\"");
                }
            }
        }
        svg.line(left, plotBottom, right, plotBottom, "stroke=\"" + Svg.INK + "\"");
        svg.line(left, plotTop, left, plotBottom, "stroke=\"" + Svg.INK + "\"");
        svg.text((left + right) / 2, plotBottom + 36, xLabel, "text-anchor=\"middle\" fill=\"" + Svg.INK + "\"");
        double yLabelX = PAD + 4;
        double yLabelY = (plotTop + plotBottom) / 2;
        svg.text(
                yLabelX,
                yLabelY,
                yLabel,
                "text-anchor=\"middle\" fill=\"" + Svg.INK + "\" transform=\"rotate(-90 " + Svg.num(yLabelX) + " "
                        + Svg.num(yLabelY) + ")\"");

        for (Reference r : references) {
            if (r.y() < y.from() || r.y() > y.to()) {
                continue;
            }
            svg.group(r.label(), "");
            svg.line(left, y.at(r.y()), right, y.at(r.y()), referenceStroke(r));
            svg.close();
        }

        Map<Double, Integer> offScaleAtX =
                new LinkedHashMap<>(); // arrows at one x side by side, not on top of each other
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String color = Svg.PALETTE.get(i % Svg.PALETTE.size());
            String marker = MARKERS.get(i % MARKERS.size());
            svg.group(s.name(), "");
            StringBuilder path = new StringBuilder();
            for (Point p : s.points()) {
                path.append(path.length() == 0 ? "M" : " L")
                        .append(Svg.num(x.at(p.x())))
                        .append(' ')
                        .append(Svg.num(y.at(p.y())));
            }
            svg.raw("<path d=\"" + path + "\" fill=\"none\" stroke=\"" + color + "\" stroke-width=\""
                    + (s.emphasis() ? "2.5" : "1.75") + "\"" + (s.emphasis() ? "" : " stroke-dasharray=\"7 4\"")
                    + " clip-path=\"url(#" + Svg.escape(id) + "-plot)\"/>");
            for (Point p : s.points()) {
                svg.group(s.name() + ": " + p.detail(), "");
                if (p.y() > y.to()) {
                    int before = offScaleAtX.merge(p.x(), 1, Integer::sum) - 1;
                    double px = x.at(p.x()) + (before % 2 == 0 ? 1 : -1) * ((before + 1) / 2) * 13;
                    svg.raw("<path d=\"M" + Svg.num(px - 6) + " " + Svg.num(plotTop + 4) + " L" + Svg.num(px + 6) + " "
                            + Svg.num(plotTop + 4) + " L" + Svg.num(px) + " " + Svg.num(plotTop - 7) + " Z\" fill=\""
                            + color
                            + "\" stroke=\"#ffffff\"/>");
                } else {
                    svg.raw(marker(marker, x.at(p.x()), y.at(p.y()), color));
                }
                svg.close();
            }
            svg.close();
        }

        double legendX = right + 24;
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String color = Svg.PALETTE.get(i % Svg.PALETTE.size());
            double ly = plotTop + 8 + i * 22;
            svg.line(
                    legendX,
                    ly,
                    legendX + 28,
                    ly,
                    "stroke=\"" + color + "\" stroke-width=\"" + (s.emphasis() ? "2.5" : "1.75") + "\""
                            + (s.emphasis() ? "" : " stroke-dasharray=\"7 4\""));
            svg.raw(marker(MARKERS.get(i % MARKERS.size()), legendX + 14, ly, color));
            svg.text(legendX + 36, ly + 4, s.name(), "fill=\"" + Svg.INK + "\"");
        }
        for (int i = 0; i < references.size(); i++) { // in the legend, where their labels cross no line
            Reference r = references.get(i);
            double ly = plotTop + 8 + (series.size() + i) * 22 + 10;
            svg.line(legendX, ly, legendX + 28, ly, referenceStroke(r));
            svg.text(legendX + 36, ly + 4, r.label(), "fill=\"" + Svg.INK + "\"");
        }

        for (int i = 0; i < noteLines.size(); i++) {
            svg.text(PAD, plotBottom + 58 + i * 15, noteLines.get(i), "font-size=\"11\" fill=\"" + Svg.MUTED + "\"");
        }
        return svg.end();
    }

    private static String referenceStroke(Reference r) {
        return "stroke=\"" + (r.dashed() ? Svg.INK : Svg.MUTED) + "\" stroke-width=\"1.5\""
                + (r.dashed() ? " stroke-dasharray=\"6 4\"" : "");
    }

    private static String marker(String shape, double cx, double cy, String color) {
        String x = Svg.num(cx);
        String y = Svg.num(cy);
        boolean open = shape.endsWith("-open");
        String paint = open
                ? "fill=\"#ffffff\" stroke=\"" + color + "\" stroke-width=\"2\""
                : "fill=\"" + color + "\" stroke=\"#ffffff\"";
        return switch (shape.replace("-open", "")) {
            case "square" ->
                "<rect x=\"" + Svg.num(cx - 4.5) + "\" y=\"" + Svg.num(cy - 4.5) + "\" width=\"9\" height=\"9\" "
                        + paint + "/>";
            case "diamond" ->
                "<path d=\"M" + x + " " + Svg.num(cy - 6) + " L" + Svg.num(cx + 6) + " " + y + " L" + x + " "
                        + Svg.num(cy + 6) + " L" + Svg.num(cx - 6) + " " + y + " Z\" " + paint + "/>";
            case "triangle" ->
                "<path d=\"M" + Svg.num(cx - 5.5) + " " + Svg.num(cy - 4.5) + " L" + Svg.num(cx + 5.5) + " "
                        + Svg.num(cy - 4.5) + " L" + x + " " + Svg.num(cy + 5.5) + " Z\" " + paint + "/>";
            case "cross" ->
                "<path d=\"M" + Svg.num(cx - 4.5) + " " + Svg.num(cy - 4.5) + " L" + Svg.num(cx + 4.5) + " "
                        + Svg.num(cy + 4.5) + " M" + Svg.num(cx - 4.5) + " " + Svg.num(cy + 4.5) + " L"
                        + Svg.num(cx + 4.5) + " "
                        + Svg.num(cy - 4.5) + "\" stroke=\"" + color + "\" stroke-width=\"2.5\"/>";
            default -> "<circle cx=\"" + x + "\" cy=\"" + y + "\" r=\"4.5\" " + paint + "/>";
        };
    }

    private String description(double top) {
        List<String> parts = new ArrayList<>();
        parts.add(Svg.sentence(title) + " " + Svg.sentence(subtitle) + " Line chart of " + yLabel + " against " + xLabel
                + ", one line per contender:");
        for (Series s : series) {
            List<String> points = s.points().stream().map(Point::detail).toList();
            parts.add(s.name() + ": " + String.join(", ", points) + ";");
        }
        for (Reference r : references) {
            parts.add("reference line: " + r.label() + ";");
        }
        parts.add("the y axis ends at " + yTickText.apply(top) + "; values above it are marked at the top edge.");
        return String.join(" ", parts);
    }
}
