package dev.pyper.examples;

import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A registry's meters as text, one line per measurement: {@code name_statistic{tags} value}, as
 * in {@code pyper_task_input_count{pipeline="scoring",task="score"} 27}. It looks like Prometheus's
 * text format but is not it (no {@code # TYPE} lines, Micrometer's statistic names as suffixes):
 * a service that Prometheus scrapes uses {@code micrometer-registry-prometheus} and its
 * {@code scrape()} instead of this.
 */
final class MetricsText {

    private MetricsText() {}

    /**
     * Renders every measurement of every meter, sorted.
     *
     * @param registry the registry
     * @return the lines, each ended by a newline
     */
    static String render(MeterRegistry registry) {
        List<String> lines = new ArrayList<>();
        for (Meter meter : registry.getMeters()) {
            Meter.Id id = meter.getId();
            String name = id.getName().replace('.', '_');
            String tags = id.getTags().stream().map(MetricsText::tag).collect(Collectors.joining(",", "{", "}"));
            for (Measurement measurement : meter.measure()) {
                lines.add(name + "_" + measurement.getStatistic().getTagValueRepresentation() + tags + " "
                        + number(measurement.getValue()));
            }
        }
        lines.sort(null);
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line).append('\n'));
        return text.toString();
    }

    private static String tag(Tag tag) {
        return tag.getKey() + "=\"" + tag.getValue().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String number(double value) {
        if (value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%.6g", value);
    }
}
