package dev.pyper.bench;

import java.util.Locale;
import java.util.function.DoubleFunction;

/** Number formats shared by the workloads, so every table reads the same way. */
final class Format {

    private Format() {}

    /** {@code 3.83 M/s} items per second, or {@code 2.4 k/s} below 100,000. */
    static String perSecond(double itemsPerSecond) {
        return itemsPerSecond >= 100_000
                ? String.format(Locale.ROOT, "%.2f M/s", itemsPerSecond / 1e6)
                : String.format(Locale.ROOT, "%.1f k/s", itemsPerSecond / 1e3);
    }

    /** {@code 412 ms}, or {@code 41.2 ms} below 100. */
    static String millis(double millis) {
        return millis >= 100
                ? String.format(Locale.ROOT, "%.0f ms", millis)
                : String.format(Locale.ROOT, "%.1f ms", millis);
    }

    /** {@code 12.3 µs}, or milliseconds from 10,000 µs on. */
    static String micros(double micros) {
        return micros >= 10_000 ? millis(micros / 1000) : String.format(Locale.ROOT, "%.1f µs", micros);
    }

    /** {@code 87 MiB}. */
    static String mebibytes(double mib) {
        return String.format(Locale.ROOT, "%.0f MiB", mib);
    }

    /** {@code ×1.08}. */
    static String ratio(double ratio) {
        return String.format(Locale.ROOT, "×%.2f", ratio);
    }

    /** {@code 1.23–1.45 (5 runs)} in the sample's unit. */
    static String spread(Sample sample, DoubleFunction<String> unit) {
        return unit.apply(sample.min()) + " – " + unit.apply(sample.max()) + " (" + sample.size() + " runs)";
    }
}
