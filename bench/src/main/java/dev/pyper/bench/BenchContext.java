package dev.pyper.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Predicate;

/**
 * What a workload needs from the run: the options, the contenders, the log, and one way to
 * measure a case that turns a contender's failure or missing feature into a row.
 *
 * @param options the run's options
 * @param contenders the contenders that run
 * @param log where progress goes (standard error, so the table on standard output stays clean)
 */
record BenchContext(BenchOptions options, Contenders contenders, PrintStream log) {

    /**
     * What measuring a case gave: a sample, or why there is none.
     *
     * @param sample the values, or null
     * @param failure why there are none, or null
     * @param foreignCores cores that other processes used meanwhile (NaN if unknown)
     */
    record Outcome(Sample sample, String failure, double foreignCores) {
        boolean ok() {
            return sample != null;
        }

        /** The spread cell: min – max, flagged where the machine was busy with other work. */
        String spread(java.util.function.DoubleFunction<String> unit) {
            String spread = Format.spread(sample, unit);
            return foreignCores >= MachineLoad.QUIET_CORES
                    ? spread + String.format(java.util.Locale.ROOT, "; %.1f cores busy elsewhere", foreignCores)
                    : spread;
        }
    }

    /** The contenders, in table order, that {@code which} accepts. */
    List<Subject> subjects(Predicate<Subject> which) {
        return contenders.subjects().stream().filter(which).toList();
    }

    /**
     * Measures one case on one contender with the run's warm-ups and repetitions.
     *
     * @param workload the workload's id, for the log
     * @param caseName the case, for the log
     * @param subject the contender
     * @param run one run, returning its value
     * @return the sample, or the reason it could not be taken
     */
    Outcome measure(String workload, String caseName, Subject subject, Sample.Run run) {
        return measure(workload, caseName, subject, options.warmups(), options.runs(), run);
    }

    /** {@link #measure(String, String, Subject, Sample.Run)} with its own repetitions. */
    Outcome measure(String workload, String caseName, Subject subject, int warmups, int runs, Sample.Run run) {
        log.printf("%s %-22s %-16s ", workload, caseName, subject.name());
        log.flush();
        double before = MachineLoad.awaitQuiet(options.quietWaitSeconds());
        if (before >= MachineLoad.QUIET_CORES) {
            log.printf("(busy machine: %.1f foreign cores) ", before);
        }
        MachineLoad.Snapshot start = MachineLoad.now();
        try {
            Sample sample = Sample.of(warmups, runs, run);
            MachineLoad.Snapshot end = MachineLoad.now();
            double foreign = MachineLoad.foreignCores(start, end);
            log.printf(
                    "median %.4g (%.1f s, %.2f foreign cores)%n",
                    sample.median(), (end.wallNanos() - start.wallNanos()) / 1e9, foreign);
            return new Outcome(sample, null, foreign);
        } catch (UnsupportedOperationException e) {
            log.println("not supported: " + e.getMessage());
            return new Outcome(null, e.getMessage(), Double.NaN);
        } catch (Exception | Error e) {
            log.println("FAILED: " + e);
            return new Outcome(null, "failed: " + e, Double.NaN);
        }
    }

    /**
     * Throws if a contender's checksum is wrong, so that no contender can skip work.
     *
     * @param subject the contender
     * @param expected the right checksum
     * @param actual what the run returned
     */
    static void verify(Subject subject, long expected, long actual) {
        if (expected != actual) {
            throw new IllegalStateException(subject.name() + " returned checksum " + actual + ", expected " + expected);
        }
    }
}
