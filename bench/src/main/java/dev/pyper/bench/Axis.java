package dev.pyper.bench;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * A chart axis: maps data values to pixels, linearly or on a log scale, and names the values
 * where its ticks go.
 *
 * @param from the data value at {@code fromPixel}
 * @param to the data value at {@code toPixel}
 * @param fromPixel where {@code from} is drawn
 * @param toPixel where {@code to} is drawn
 * @param log whether the axis is logarithmic (then {@code from} and {@code to} are positive)
 */
record Axis(double from, double to, double fromPixel, double toPixel, boolean log) {

    Axis {
        if (!(to > from) || log && !(from > 0)) {
            throw new IllegalArgumentException(
                    "an axis needs 0 < from < to on a log scale and from < to otherwise, was " + from + " … " + to);
        }
    }

    /** A linear axis. */
    static Axis linear(double from, double to, double fromPixel, double toPixel) {
        return new Axis(from, to, fromPixel, toPixel, false);
    }

    /** A logarithmic axis. */
    static Axis log(double from, double to, double fromPixel, double toPixel) {
        return new Axis(from, to, fromPixel, toPixel, true);
    }

    /** Where {@code value} is drawn. */
    double at(double value) {
        double share = log
                ? (Math.log10(value) - Math.log10(from)) / (Math.log10(to) - Math.log10(from))
                : (value - from) / (to - from);
        return fromPixel + share * (toPixel - fromPixel);
    }

    /**
     * Round tick values from at or below {@code low} to at or above {@code high}, about
     * {@code count} steps apart, each step 1, 2 or 5 × a power of ten; the first and last tick are
     * the axis's natural ends.
     *
     * @param low the smallest value to show
     * @param high the largest value to show, above {@code low}
     * @param count how many steps, roughly
     * @return the ticks, ascending
     */
    static List<Double> linearTicks(double low, double high, int count) {
        if (!(high > low)) {
            high = low + Math.max(1, Math.abs(low));
        }
        double rough = (high - low) / Math.max(1, count);
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double norm = rough / magnitude;
        double step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * magnitude;
        long first = (long) Math.floor(low / step + 1e-9);
        long last = (long) Math.ceil(high / step - 1e-9);
        List<Double> ticks = new ArrayList<>();
        for (long i = first; i <= last; i++) {
            ticks.add(clean(i * step));
        }
        return ticks;
    }

    /**
     * The powers of ten from the one at or below {@code low} to the one at or above {@code high}:
     * the labelled ticks of a log axis; at least two.
     */
    static List<Double> decades(double low, double high) {
        if (!(low > 0) || high < low) {
            throw new IllegalArgumentException("decades need 0 < low <= high, were " + low + " … " + high);
        }
        int first = (int) Math.floor(Math.log10(low) + 1e-9);
        int last = Math.max(first + 1, (int) Math.ceil(Math.log10(high) - 1e-9));
        List<Double> ticks = new ArrayList<>();
        for (int e = first; e <= last; e++) {
            ticks.add(clean(Math.pow(10, e)));
        }
        return ticks;
    }

    /** {@code 0.30000000000000004} as {@code 0.3}: ticks are labelled, so they must be the round numbers they mean. */
    private static double clean(double value) {
        return new BigDecimal(value).round(new MathContext(12)).doubleValue();
    }
}
