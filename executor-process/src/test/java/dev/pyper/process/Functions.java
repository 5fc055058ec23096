package dev.pyper.process;

import dev.pyper.Emitter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Task functions for the tests, as static methods so that they serialize without a test instance. */
final class Functions {

    private Functions() {}

    static long pid(Object ignored) {
        return ProcessHandle.current().pid();
    }

    static int square(int x) {
        return x * x;
    }

    static List<Integer> upTo(int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }

    static void countForever(int from, Emitter<Integer> out) {
        for (int i = from; ; i++) {
            out.emit(i);
        }
    }

    static void countTo(int n, Emitter<Integer> out) {
        for (int i = 0; i < n; i++) {
            out.emit(i);
        }
    }

    static void twice(int x, Emitter<Integer> out) {
        out.emit(x);
        out.emit(x);
    }

    static int sum(Stream<Integer> in) {
        return in.mapToInt(Integer::intValue).sum();
    }

    /** A join that reads only the first three items of a possibly infinite input. */
    static List<Integer> firstThree(Stream<Integer> in) {
        return in.limit(3).toList();
    }

    static void runningTotal(Stream<Integer> in, Emitter<Integer> out) {
        int[] total = {0};
        in.forEach(x -> out.emit(total[0] += x));
    }

    /** Deterministic CPU work of about {@code rounds} iterations of a small hash. */
    static long spin(long rounds) {
        long h = rounds;
        for (long i = 0; i < rounds; i++) {
            h = h * 6364136223846793005L + 1442695040888963407L;
            h ^= h >>> 29;
        }
        return h;
    }
}
