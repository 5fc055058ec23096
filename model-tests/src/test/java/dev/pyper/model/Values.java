package dev.pyper.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The pure arithmetic that every random task is made of, shared by the real functions and the
 * model so that both compute the same values. Values stay in {@code [0, 10000)}, small enough to
 * read in a failure report and to repeat now and then (a repeated value fires a fault twice).
 */
final class Values {

    /** Every value lies in {@code [0, RANGE)}. */
    static final int RANGE = 10_000;

    private Values() {}

    /** What a {@code null} value counts as in arithmetic (rule 2.2 passes nulls on like any value). */
    static final int NULL = -1;

    /** The value as a number: {@link #NULL} for {@code null}. */
    static int of(Integer x) {
        return x == null ? NULL : x;
    }

    /** A deterministic, well-spread function of a value and a salt. */
    static int mix(Integer x, int salt) {
        int h = of(x) * 0x9E3779B9 + salt * 0x85EBCA6B;
        h ^= h >>> 16;
        h *= 0x7FEB352D;
        h ^= h >>> 15;
        h *= 0x846CA68B;
        h ^= h >>> 16;
        return Math.floorMod(h, RANGE);
    }

    /** The outputs of a branch on {@code x}: between 0 and {@code maxOut} values. */
    static List<Integer> spread(Integer x, int salt, int maxOut) {
        int n = Math.floorMod(mix(x, salt ^ 0x5BD1E995), maxOut + 1);
        List<Integer> out = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            out.add(mix(x, salt + i));
        }
        return out;
    }

    /** Folds values in order (order-sensitive) or as a sum (order-insensitive). */
    static int fold(Iterable<Integer> values, boolean orderSensitive) {
        int h = 0;
        for (Integer x : values) {
            h = next(h, x, orderSensitive);
        }
        return h;
    }

    /** One step of {@link #fold}. */
    static int next(int h, Integer x, boolean orderSensitive) {
        return orderSensitive ? Math.floorMod(h * 31 + of(x) + 1, RANGE) : Math.floorMod(h + of(x), RANGE);
    }
}
