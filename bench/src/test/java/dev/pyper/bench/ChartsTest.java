package dev.pyper.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The SVG charts: well-formed and accessible documents, true proportions, log axes, escaped text, and the files of the report. */
class ChartsTest {

    private static final String SVG = "http://www.w3.org/2000/svg";
    private static final String MACHINE = "2 cores, 23.5 GiB memory, JDK 25 (OpenJDK), Linux amd64";
    private static final String DATE = "2026-11-27 03:44 UTC";

    @Test
    void barsAreProportionalToTheirValuesFromZero() throws Exception {
        BarChart chart = new BarChart(
                "t",
                "T1 title",
                "subtitle",
                "items",
                v -> Charts.plain(v),
                List.of(new BarChart.Series("one", "#111111"), new BarChart.Series("two", "#222222")),
                List.of(bar("a", 0, 1), bar("b", 1, 2), bar("c", 0, 4), bar("d", 1, 3.5)),
                List.of(),
                "");

        Document svg = parse(chart.render());

        List<Element> bars = elements(svg, "rect").stream()
                .filter(r -> r.getAttribute("height").equals(String.valueOf((int) BarChart.BAR))
                        && r.getAttribute("fill").matches("#[12]{6}"))
                .toList();
        assertEquals(4, bars.size());
        double left = Double.parseDouble(bars.get(0).getAttribute("x"));
        double unit = width(bars.get(0));
        assertEquals(2 * unit, width(bars.get(1)), 0.15);
        assertEquals(4 * unit, width(bars.get(2)), 0.15);
        assertEquals(3.5 * unit, width(bars.get(3)), 0.15);
        for (Element bar : bars) {
            assertEquals(left, Double.parseDouble(bar.getAttribute("x")), 0.01, "every bar starts at zero");
        }
        assertEquals("#222222", bars.get(1).getAttribute("fill"), "a bar has its series' colour");
        // the axis's zero tick is where the bars start, and its last tick is past the longest bar
        Element zero = text(svg, "0");
        assertEquals(left, Double.parseDouble(zero.getAttribute("x")), 0.01);
        Element four = text(svg, "4");
        assertEquals(left + 4 * unit, Double.parseDouble(four.getAttribute("x")), 0.15);
    }

    @Test
    void whiskersSpanMinToMaxAndTargetsAreMarked() throws Exception {
        BarChart chart = new BarChart(
                "t",
                "T",
                "s",
                "x",
                v -> Charts.plain(v),
                List.of(new BarChart.Series("one", "#123456")),
                List.of(
                        new BarChart.Bar("a", 0, 2, 1, 3, 2.5, "2", "a: 2"),
                        new BarChart.Bar("b", 0, 4, Double.NaN, Double.NaN, Double.NaN, "4", "b: 4")),
                List.of(new BarChart.Reference(1.5, "baseline")),
                "a note");

        Document svg = parse(chart.render());

        Element a = elements(svg, "rect").stream()
                .filter(r -> r.getAttribute("fill").equals("#123456")
                        && r.getAttribute("height").equals(String.valueOf((int) BarChart.BAR)))
                .findFirst()
                .orElseThrow();
        double x0 = Double.parseDouble(a.getAttribute("x"));
        double unit = width(a) / 2;
        List<Element> lines = elements(svg, "line");
        assertTrue(
                lines.stream()
                        .anyMatch(l -> near(l, "x1", x0 + unit)
                                && near(l, "x2", x0 + 3 * unit)
                                && l.getAttribute("y1").equals(l.getAttribute("y2"))),
                "a whisker from min to max");
        assertTrue(
                elements(svg, "rect").stream()
                        .anyMatch(r -> r.getAttribute("width").equals("3")
                                && Math.abs(Double.parseDouble(r.getAttribute("x")) + 1.5 - (x0 + 2.5 * unit)) < 0.15),
                "a mark at the target");
        assertTrue(
                lines.stream()
                        .anyMatch(l -> near(l, "x1", x0 + 1.5 * unit)
                                && l.getAttribute("stroke-dasharray").equals("5 4")),
                "a dashed line at the reference");
        assertNotNull(text(svg, "a note"));
        assertTrue(
                desc(svg).contains("a: 2")
                        && desc(svg).contains("b: 4")
                        && desc(svg).contains("baseline"),
                desc(svg));
    }

    @Test
    void logAxisTicksArePowersOfTenEquallySpaced() throws Exception {
        assertEquals(List.of(100.0, 1000.0, 10000.0), Axis.decades(100, 10_000));
        assertEquals(List.of(100.0, 1000.0), Axis.decades(150, 900));
        assertEquals(List.of(1.0, 10.0), Axis.decades(1, 1), "at least two decades");
        assertEquals(List.of(0.01, 0.1, 1.0), Axis.decades(0.05, 1));
        Axis log = Axis.log(100, 10_000, 0, 200);
        assertEquals(0, log.at(100), 1e-9);
        assertEquals(100, log.at(1_000), 1e-9);
        assertEquals(200, log.at(10_000), 1e-9);
        assertEquals(100 * Math.log10(2), log.at(200), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> Axis.log(0, 10, 0, 1));

        LineChart chart = new LineChart(
                "t",
                "T",
                "s",
                "workers W (log scale)",
                "ratio",
                v -> String.format(java.util.Locale.ROOT, "%,d", Math.round(v)),
                v -> "×" + Charts.plain(v),
                3,
                List.of(new LineChart.Series(
                        "one", true, List.of(point(100, 1.1), point(1_000, 1.2), point(10_000, 1.5)))),
                List.of(new LineChart.Reference(1, "ideal", false)));
        Document svg = parse(chart.render());

        double x100 = Double.parseDouble(text(svg, "100").getAttribute("x"));
        double x1000 = Double.parseDouble(text(svg, "1,000").getAttribute("x"));
        double x10000 = Double.parseDouble(text(svg, "10,000").getAttribute("x"));
        assertEquals(x1000 - x100, x10000 - x1000, 0.15, "a decade is as wide as the next");
        String path = elements(svg, "path").stream()
                .map(p -> p.getAttribute("d"))
                .filter(d -> d.startsWith("M") && d.contains(" L"))
                .findFirst()
                .orElseThrow();
        assertTrue(path.startsWith("M" + Svg.num(x100) + " "), path + " starts at x=100's tick " + x100);
        assertTrue(path.contains(" L" + Svg.num(x1000) + " ") && path.contains(" L" + Svg.num(x10000) + " "), path);
    }

    @Test
    void linearTicksAreRoundNumbers() {
        assertEquals(List.of(0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0), Axis.linearTicks(0, 15.02, 8));
        assertEquals(List.of(1.0, 1.2, 1.4, 1.6, 1.8), Axis.linearTicks(1.0, 1.62, 5));
        assertEquals(List.of(1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7), Axis.linearTicks(1.0, 1.62, 8));
        assertEquals(List.of(0.0, 0.5, 1.0, 1.5, 2.0, 2.5), Axis.linearTicks(0, 2.03, 8));
        assertEquals(List.of(-20.0, -10.0, 0.0, 10.0), Axis.linearTicks(-15, 5, 3));
        assertEquals("1.3", Charts.plain(Axis.linearTicks(1.0, 1.62, 8).get(3)), "no 1.3000000000000003 on an axis");
    }

    @Test
    void valuesOffTheScaleAreMarkedAndWrittenOut() throws Exception {
        LineChart chart = new LineChart(
                "t",
                "T",
                "s",
                "W",
                "ratio",
                v -> Charts.plain(v),
                v -> "×" + Charts.plain(v),
                3,
                List.of(
                        new LineChart.Series("pyper", true, List.of(point(100, 1.01), point(1_000, 1.4))),
                        new LineChart.Series(
                                "slow",
                                false,
                                List.of(
                                        new LineChart.Point(100, 5.09, "×5.09 at W=100", "d"),
                                        new LineChart.Point(1_000, 50.4, "×50.4 at W=1,000", "d")))),
                List.of(new LineChart.Reference(1.3, "target ×1.3", true)));

        assertTrue(
                chart.yTicks().get(chart.yTicks().size() - 1) < 3,
                "the axis ends near the values it shows: " + chart.yTicks());
        Document svg = parse(chart.render());

        assertTrue(
                texts(svg).stream().anyMatch(t -> t.contains("Off the scale: slow ×5.09 at W=100, ×50.4 at W=1,000")),
                texts(svg)::toString);
        assertTrue(
                elements(svg, "path").stream()
                        .anyMatch(p -> p.getAttribute("stroke-dasharray").equals("7 4")),
                "a line not emphasised is dashed");
        assertTrue(elements(svg, "clipPath").size() == 1, "lines are clipped to the plot");
    }

    @Test
    void namesAreEscapedAndTheDocumentIsAccessible() throws Exception {
        String name = "a<b & \"c\" 'd' ]]> \u0007bell";
        BarChart bar = new BarChart(
                "w<1",
                "T " + name,
                "s " + name,
                "x",
                v -> Charts.plain(v),
                List.of(new BarChart.Series(name, "#000000")),
                List.of(new BarChart.Bar(name, 0, 1, 0.5, 1.5, Double.NaN, "1 " + name, "detail " + name)),
                List.of(new BarChart.Reference(1, name)),
                name);
        LineChart line = new LineChart(
                "l&1",
                "T " + name,
                "s " + name,
                name,
                name,
                v -> Charts.plain(v),
                v -> Charts.plain(v),
                3,
                List.of(new LineChart.Series(name, false, List.of(new LineChart.Point(10, 9, name, name)))),
                List.of(new LineChart.Reference(1, name, true)));

        for (String text : List.of(bar.render(), line.render())) {
            Document svg = parse(text);
            String shown = name.replace('\u0007', '\uFFFD');
            assertTrue(texts(svg).contains(shown), () -> "the name as text: " + texts(svg));
            assertEquals("T " + shown, title(svg));
            assertTrue(desc(svg).contains(shown), desc(svg));
            assertFalse(text.contains("\u0007"), "no character that XML 1.0 forbids");
        }
    }

    @Test
    void everyChartOfAReportIsAWellFormedAccessibleSvg() throws Exception {
        List<Charts.Chart> charts = Charts.of(sample());

        assertEquals(
                List.of("w1.svg", "w2.svg", "w3.svg", "w8.svg"),
                charts.stream().map(Charts.Chart::fileName).toList());
        for (Charts.Chart chart : charts) {
            Document svg = parse(chart.svg());
            Element root = svg.getDocumentElement();
            assertEquals("svg", root.getLocalName());
            assertEquals(SVG, root.getNamespaceURI());
            assertEquals("img", root.getAttribute("role"));
            for (String id : root.getAttribute("aria-labelledby").split(" ")) {
                assertNotNull(byId(svg, id), chart.fileName() + " labels itself by " + id);
            }
            assertTrue(title(svg).startsWith(chart.workload() + " "), "the title names the workload: " + title(svg));
            assertTrue(texts(svg).stream().anyMatch(t -> t.contains(DATE)), chart.fileName() + " says when");
            assertTrue(
                    String.join(" ", texts(svg)).contains("2 cores, 23.5 GiB memory"),
                    chart.fileName() + " says where");
            assertTrue(desc(svg).contains(DATE) && desc(svg).contains("threads"), desc(svg));
            assertEquals("![" + chart.alt() + "](charts/" + chart.fileName() + ")", chart.embed());
        }
        Document w1 = parse(charts.get(0).svg());
        assertTrue(texts(w1).contains("process, unbounded, N=10,000"), "a case with another N says so: " + texts(w1));
        assertTrue(
                texts(w1).contains("abq-chain 4.47 M/s") && texts(w1).contains("best Reactor 13.15 M/s"),
                texts(w1)::toString);
        Document w2 = parse(charts.get(1).svg());
        assertTrue(desc(w2).contains("W=1000, N=2000: ×1.43 ideal, 57.1 ms against 40.0 ms"), desc(w2));
    }

    @Test
    void resultsSurviveTheirCsvFile() {
        Results results = sample();
        String csv = results.csv();

        Results read = Results.parse(csv);

        assertEquals(results.rows().size(), read.rows().size());
        assertEquals(csv, read.csv());
        Results.Result first = read.rows().get(0);
        assertEquals("N=1000000, unbounded", first.caseName());
        assertEquals(10.72e6, first.figures().median());
        assertEquals(Row.Verdict.MISSED, first.verdict());
        assertEquals("×2.40 abq-chain, ×0.82 best Reactor", first.note());
        assertTrue(csv.lines().skip(1).allMatch(l -> l.startsWith("W")), csv);

        Results tricky = new Results(List.of(
                new Results.Result(
                        "W9",
                        "a, \"b\"\nc",
                        "x",
                        false,
                        Row.Figures.single(26.98, "x"),
                        Row.Verdict.NONE,
                        "",
                        "m",
                        "d"),
                new Results.Result("W4", "c", "y", true, null, Row.Verdict.NOT_RUN, "— (why)", "m", "d")));
        Results back = Results.parse(tricky.csv());
        assertEquals(tricky.rows().get(0).caseName(), back.rows().get(0).caseName());
        assertTrue(Double.isNaN(back.rows().get(0).figures().min()));
        assertEquals(0, back.rows().get(0).figures().runs());
        assertNull(back.rows().get(1).figures());
        assertEquals(Row.Verdict.NOT_RUN, back.rows().get(1).verdict());
        IllegalArgumentException wrong =
                assertThrows(IllegalArgumentException.class, () -> Results.parse("a,b\n1,2\n"));
        assertTrue(wrong.getMessage().contains("not a results file"), wrong.getMessage());
    }

    @Test
    void theReportWritesItsNumbersAndChartsAndChartsOnlyDrawsThemAgain(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("benchmarks.md");
        BenchOptions options = BenchOptions.parse("bench.subjects=nobody", "bench.out=" + out);
        Report report;
        try (Contenders none = Contenders.open(options, new PrintStream(PrintStream.nullOutputStream()))) {
            report = new Report(Machine.current(), options, none);
        }
        Workload w1 = new HandOffWorkload();
        String table = report.add(
                w1,
                List.of(
                        new Row("N=1000, unbounded", "threads", "1.00 M/s", "", "", Row.Verdict.NONE)
                                .with(new Row.Figures(Row.Figures.ITEMS_PER_SECOND, 1e6, 0.9e6, 1.1e6, 5, Double.NaN)),
                        new Row("N=1000, buffers 1024", "abq-chain", "2.00 M/s", "", "", Row.Verdict.NONE)
                                .with(new Row.Figures(Row.Figures.ITEMS_PER_SECOND, 2e6, 1.9e6, 2.1e6, 5, Double.NaN)),
                        Row.notRun("N=1000, buffers 1024", "mapConcurrent", "needs JDK 24")));
        report.add(new RunOverheadWorkload(), List.of(Row.notRun("1 run", "virtual", "no")));

        report.writeTo(out);

        assertTrue(table.contains("![W1: items per second per contender"), table);
        String markdown = Files.readString(out);
        assertTrue(markdown.contains("](charts/w1.svg)"), markdown);
        assertTrue(markdown.contains("[`benchmarks.csv`](benchmarks.csv)"), markdown);
        assertTrue(
                markdown.indexOf("charts/w1.svg") < markdown.indexOf("| Case |"), "the chart comes before the table");
        Results written = Results.read(dir.resolve("benchmarks.csv"));
        assertEquals(
                List.of("threads", "abq-chain", "mapConcurrent", "virtual"),
                written.rows().stream().map(Results.Result::contender).toList());
        Path chart = dir.resolve("charts").resolve("w1.svg");
        String svg = Files.readString(chart);
        parse(svg);
        assertEquals(List.of("w1.svg"), fileNames(dir.resolve("charts")), "W5 has no chart");

        Files.delete(chart);
        Path again = BenchMain.run(
                BenchOptions.parse("--charts-only", "bench.out=" + out),
                new PrintStream(PrintStream.nullOutputStream()),
                new PrintStream(PrintStream.nullOutputStream()));

        assertEquals(dir.resolve("charts"), again);
        assertEquals(svg, Files.readString(chart), "drawn again from the results file alone");
    }

    @Test
    void chartsOnlyNamesTheMissingResultsFile(@TempDir Path dir) {
        IllegalStateException missing = assertThrows(
                IllegalStateException.class,
                () -> BenchMain.run(
                        BenchOptions.parse("bench.chartsOnly=true", "bench.out=" + dir.resolve("b.md")),
                        System.out,
                        System.err));
        assertTrue(missing.getMessage().contains("b.csv"), missing.getMessage());
    }

    /** The charts in docs/ are the ones that docs/benchmarks.csv draws, and docs/benchmarks.md shows each. */
    @Test
    void theChartsInDocsAreDrawnFromTheResultsInDocs() throws Exception {
        Path docs = Path.of("..", "docs");
        Results results = Results.read(docs.resolve("benchmarks.csv"));
        String markdown = Files.readString(docs.resolve("benchmarks.md"));
        for (Charts.Chart chart : Charts.of(results)) {
            parse(chart.svg());
            assertTrue(markdown.contains(chart.embed()), "docs/benchmarks.md embeds " + chart.embed());
            assertEquals(
                    chart.svg(),
                    Files.readString(docs.resolve("charts").resolve(chart.fileName())),
                    "docs/charts/" + chart.fileName() + " is out of date; draw it again with " + Report.CHARTS_COMMAND);
        }
    }

    /** Rows as the report of 2026-11-27 has them, a few of each charted workload. */
    static Results sample() {
        List<Results.Result> rows = new ArrayList<>();
        rows.add(r(
                "W1",
                "N=1000000, unbounded",
                "threads",
                true,
                new Row.Figures("items/s", 10.72e6, 7.64e6, 11.66e6, 5, Double.NaN),
                Row.Verdict.MISSED,
                "×2.40 abq-chain, ×0.82 best Reactor"));
        rows.add(r(
                "W1",
                "N=1000000, throttle(1024)",
                "threads",
                true,
                new Row.Figures("items/s", 8.39e6, 6.06e6, 9.6e6, 5, Double.NaN),
                Row.Verdict.MISSED,
                ""));
        rows.add(r(
                "W1",
                "N=10000, unbounded",
                "process",
                true,
                new Row.Figures("items/s", 0.17e6, 0.12e6, 0.18e6, 5, Double.NaN),
                Row.Verdict.NONE,
                ""));
        rows.add(r(
                "W1",
                "N=1000000, buffers 1024",
                "abq-chain",
                false,
                new Row.Figures("items/s", 4.47e6, 4.25e6, 5.31e6, 5, Double.NaN),
                Row.Verdict.NONE,
                ""));
        rows.add(r(
                "W1",
                "N=1000000, buffers 1024",
                "reactor-elastic",
                false,
                new Row.Figures("items/s", 10.98e6, 9.16e6, 11.7e6, 5, Double.NaN),
                Row.Verdict.NONE,
                ""));
        rows.add(r(
                "W1",
                "N=1000000, buffers 1024",
                "reactor-virtual",
                false,
                new Row.Figures("items/s", 13.15e6, 10.2e6, 15.02e6, 5, Double.NaN),
                Row.Verdict.NONE,
                ""));
        for (String[] w2 : new String[][] {
            {"100", "2000", "405", "400"}, {"1000", "2000", "57.1", "40"}, {"10000", "10000", "31.6", "20"}
        }) {
            double median = Double.parseDouble(w2[2]);
            rows.add(r(
                    "W2",
                    "W=" + w2[0] + ", N=" + w2[1],
                    "threads",
                    true,
                    new Row.Figures("ms", median, median * 0.95, median * 1.1, 5, Double.parseDouble(w2[3])),
                    Row.Verdict.MET,
                    ""));
            rows.add(r(
                    "W2",
                    "W=" + w2[0] + ", N=" + w2[1],
                    "reactor-elastic",
                    false,
                    new Row.Figures("ms", median * 5, median * 4.9, median * 5.1, 5, Double.parseDouble(w2[3])),
                    Row.Verdict.NONE,
                    ""));
        }
        rows.add(r("W2", "W=100, N=2000", "process", true, null, Row.Verdict.NOT_RUN, ""));
        rows.add(r(
                "W3",
                "40 items, 2 workers",
                "sequential loop",
                false,
                new Row.Figures("ms", 1003, 991, 1086, 5, Double.NaN),
                Row.Verdict.NONE,
                "baseline, 25.1 ms per item"));
        rows.add(r(
                "W3",
                "40 items, 2 workers",
                "threads",
                true,
                new Row.Figures("x", 1.95, 1.88, 1.99, 5, Double.NaN),
                Row.Verdict.MET,
                ""));
        rows.add(r(
                "W3",
                "40 items, 2 workers",
                "abq-chain",
                false,
                new Row.Figures("x", 1.93, 1.91, 2.03, 5, Double.NaN),
                Row.Verdict.NONE,
                ""));
        rows.add(r(
                "W5",
                "10000 runs",
                "virtual",
                true,
                new Row.Figures("us", 28.4, 25.1, 43.6, 5, Double.NaN),
                Row.Verdict.MET,
                ""));
        rows.add(r(
                "W8",
                "W=100, N=10000",
                "threads",
                true,
                new Row.Figures("ms", 2020, 2016, 2021, 5, 2000),
                Row.Verdict.NONE,
                ""));
        rows.add(r(
                "W8",
                "W=1000, N=10000",
                "threads",
                true,
                new Row.Figures("ms", 211, 210, 214, 9, 200),
                Row.Verdict.MET,
                ""));
        rows.add(r(
                "W8",
                "W=1000, N=10000",
                "jdk-pool",
                false,
                new Row.Figures("ms", 223, 222, 223, 9, 200),
                Row.Verdict.NONE,
                ""));
        return new Results(rows);
    }

    private static Results.Result r(
            String workload,
            String caseName,
            String contender,
            boolean pyper,
            Row.Figures figures,
            Row.Verdict verdict,
            String note) {
        return new Results.Result(workload, caseName, contender, pyper, figures, verdict, note, MACHINE, DATE);
    }

    private static BarChart.Bar bar(String label, int series, double value) {
        return new BarChart.Bar(label, series, value, Double.NaN, Double.NaN, Double.NaN, Charts.plain(value), label);
    }

    private static LineChart.Point point(double x, double y) {
        return new LineChart.Point(x, y, "×" + y, "W=" + x + ": ×" + y);
    }

    /** Parses with the JDK's parser, namespace-aware, no DTDs: a chart that is not well-formed XML fails here. */
    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> elements(Document svg, String name) {
        NodeList nodes = svg.getElementsByTagNameNS(SVG, name);
        List<Element> list = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            list.add((Element) nodes.item(i));
        }
        return list;
    }

    private static List<String> texts(Document svg) {
        return elements(svg, "text").stream().map(Element::getTextContent).toList();
    }

    private static Element text(Document svg, String content) {
        return elements(svg, "text").stream()
                .filter(t -> t.getTextContent().equals(content))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no text '" + content + "' in " + texts(svg)));
    }

    private static String title(Document svg) {
        Element first = (Element)
                svg.getDocumentElement().getElementsByTagNameNS(SVG, "title").item(0);
        assertEquals(svg.getDocumentElement(), first.getParentNode(), "the document's own <title> comes first");
        return first.getTextContent();
    }

    private static String desc(Document svg) {
        return svg.getDocumentElement()
                .getElementsByTagNameNS(SVG, "desc")
                .item(0)
                .getTextContent();
    }

    private static Element byId(Document svg, String id) {
        NodeList all = svg.getElementsByTagNameNS(SVG, "*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (e.getAttribute("id").equals(id)) {
                return e;
            }
        }
        return null;
    }

    private static double width(Element rect) {
        return Double.parseDouble(rect.getAttribute("width"));
    }

    private static boolean near(Element e, String attribute, double value) {
        return !e.getAttribute(attribute).isEmpty()
                && Math.abs(Double.parseDouble(e.getAttribute(attribute)) - value) < 0.15;
    }

    private static List<String> fileNames(Path dir) throws Exception {
        Map<String, Path> names = new TreeMap<>();
        try (var files = Files.list(dir)) {
            files.forEach(f -> names.put(f.getFileName().toString(), f));
        }
        return List.copyOf(names.keySet());
    }
}
