package dev.pyper.tck;

import dev.pyper.Emitter;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Plain, serializable functions that the kit's pipelines are made of: method references to them
 * name their tasks (rule 1.7) and cross to worker processes unchanged (rule 1.6).
 */
public final class Fixtures {

    private Fixtures() {}

    /** {@code x + 1}. */
    public static int addOne(int x) {
        return x + 1;
    }

    /** {@code x * 2}. */
    public static int times2(int x) {
        return x * 2;
    }

    /** {@code [x + 1, x + 2, x + 3]}: pyper's {@code create_data}. */
    public static List<Integer> createData(int x) {
        return List.of(x + 1, x + 2, x + 3);
    }

    /** {@code 0, 1, …, n - 1}. */
    public static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    /** Emits {@code 0, 1, …, n - 1}. */
    public static void count(int n, Emitter<Integer> out) {
        for (int i = 0; i < n; i++) {
            out.emit(i);
        }
    }

    /** Emits {@code 0, 1, 2, …} until the run is cancelled. */
    public static void countForever(int start, Emitter<Integer> out) {
        for (int i = start; ; i++) {
            out.emit(i);
        }
    }

    /** Emits the running total of its input stream: pyper's {@code running_total}. */
    public static void runningTotal(Stream<Integer> in, Emitter<Integer> out) {
        int[] total = {0};
        in.forEach(x -> out.emit(total[0] += x));
    }

    /** The sum of the input stream. */
    public static int sum(Stream<Integer> in) {
        return in.mapToInt(Integer::intValue).sum();
    }

    /** {@code data * multiplier}: pyper's {@code apply_multiplier}. */
    public static int applyMultiplier(int data, int multiplier) {
        return data * multiplier;
    }

    /** {@code data * a + b}. */
    public static int affine(int data, int a, int b) {
        return data * a + b;
    }

    /** The process id of the JVM that calls it. */
    public static long pid(Object ignored) {
        return ProcessHandle.current().pid();
    }
}
