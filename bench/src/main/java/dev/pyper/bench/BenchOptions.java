package dev.pyper.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What one benchmark run measures and where it writes, read from system properties
 * ({@code -Dbench.quick=true}) or the same names as program arguments ({@code bench.quick=true}).
 *
 * <p>Quick mode divides every N by ten or more, runs each case twice after one warm-up and does
 * not wait for a quiet machine, so a smoke test finishes in seconds; its numbers say nothing. A
 * full run waits before each case up to {@code bench.quietWait} seconds (default 10) for other
 * processes to go quiet ({@link MachineLoad}). Only a full run writes
 * {@code docs/benchmarks.md} by default (with {@code docs/benchmarks.csv} and
 * {@code docs/charts/} beside it); a quick run writes only where {@code bench.out} says.
 *
 * @param quick smaller N and fewer repetitions
 * @param workloads the workloads to run ({@code W1} … {@code W14})
 * @param subjects the executor and peer names to run, or empty for all
 * @param runs measured runs per case, at least 1
 * @param warmups unmeasured runs before them
 * @param quietWaitSeconds how long each case waits at most for other processes to go quiet
 * @param out where to write the markdown report, or null to write nothing
 * @param chartsOnly measure nothing: draw the charts again from the results file beside the
 *     report ({@code bench.chartsOnly=true}, or the program argument {@code --charts-only})
 */
public record BenchOptions(
        boolean quick,
        Set<String> workloads,
        Set<String> subjects,
        int runs,
        int warmups,
        long quietWaitSeconds,
        Path out,
        boolean chartsOnly) {

    /** Every workload, in the order of the report. */
    public static final Set<String> ALL_WORKLOADS =
            Set.of("W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W9", "W10", "W11", "W12", "W13", "W14");

    /** The report that a full run writes, relative to the repository root. */
    public static final Path DEFAULT_OUT = Path.of("docs", "benchmarks.md");

    /**
     * Checks the options.
     *
     * @throws IllegalArgumentException naming the option and the value
     */
    public BenchOptions {
        if (runs < 1) {
            throw new IllegalArgumentException("bench.runs must be at least 1, was " + runs);
        }
        if (quietWaitSeconds < 0) {
            throw new IllegalArgumentException("bench.quietWait must be 0 or more seconds, was " + quietWaitSeconds);
        }
        if (warmups < 0) {
            throw new IllegalArgumentException("bench.warmups must be 0 or more, was " + warmups);
        }
        for (String w : workloads) {
            if (!ALL_WORKLOADS.contains(w)) {
                throw new IllegalArgumentException("bench.only names an unknown workload '" + w + "'; known: W1 … W14");
            }
        }
        workloads = Set.copyOf(workloads);
        subjects = Set.copyOf(subjects);
    }

    /**
     * Reads the options from program arguments of the form {@code name=value}, falling back to
     * system properties of the same name.
     *
     * @param args program arguments such as {@code bench.quick=true bench.only=W1,W5}
     * @return the options
     * @throws IllegalArgumentException for an argument that is not {@code name=value} or a bad value
     */
    public static BenchOptions parse(String... args) {
        Map<String, String> given = new HashMap<>();
        for (String arg : args) {
            if (arg.isBlank()) {
                continue;
            }
            String plain = arg.startsWith("--") ? arg.substring(2) : arg;
            if (plain.equals("charts-only")) {
                given.put("bench.chartsOnly", "true");
                continue;
            }
            int eq = plain.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(
                        "Expected name=value, such as bench.quick=true, but got '" + arg + "'");
            }
            String name = plain.substring(0, eq);
            given.put(name.startsWith("bench.") ? name : "bench." + name, plain.substring(eq + 1));
        }
        Function<String, String> value = name -> given.getOrDefault(name, System.getProperty(name, ""));

        boolean quick = Boolean.parseBoolean(value.apply("bench.quick").strip());
        Set<String> workloads = list(value.apply("bench.only"), ALL_WORKLOADS);
        Set<String> subjects = list(value.apply("bench.subjects"), Set.of());
        int runs = integer("bench.runs", value.apply("bench.runs"), "0", quick ? 2 : 5);
        int warmups = integer("bench.warmups", value.apply("bench.warmups"), "-1", quick ? 1 : 2);
        int quietWait = integer("bench.quietWait", value.apply("bench.quietWait"), "-1", quick ? 0 : 10);
        String outValue = value.apply("bench.out").strip();
        Path out;
        if (outValue.isEmpty() || outValue.equals("default")) {
            out = quick ? null : DEFAULT_OUT;
        } else if (outValue.equals("none")) {
            out = null;
        } else {
            out = Path.of(outValue);
        }
        boolean chartsOnly =
                Boolean.parseBoolean(value.apply("bench.chartsOnly").strip());
        return new BenchOptions(quick, workloads, subjects, runs, warmups, quietWait, out, chartsOnly);
    }

    /** Whether this run measures the workload. */
    boolean runs(String workload) {
        return workloads.contains(workload);
    }

    /** Whether this run measures the executor or peer of that name. */
    boolean includes(String subject) {
        return subjects.isEmpty() || subjects.contains(subject);
    }

    /** {@code full} in a full run, a smaller number in a quick one. */
    int scaled(int full, int quickValue) {
        return quick ? quickValue : full;
    }

    private static Set<String> list(String value, Set<String> whenAll) {
        String v = value.strip();
        if (v.isEmpty() || v.equalsIgnoreCase("all")) {
            return whenAll;
        }
        return Arrays.stream(v.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(s -> s.matches("(?i)w\\d") ? s.toUpperCase(Locale.ROOT) : s)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The value as a number; {@code fallback} where it is empty or {@code unset} (the build's "not given"). */
    private static int integer(String name, String value, String unset, int fallback) {
        String v = value.strip();
        if (v.isEmpty() || v.equals(unset)) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'", e);
        }
    }
}
