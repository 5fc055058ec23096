package dev.pyper.bench;

/**
 * One line of a workload's table: a case on one contender, formatted for the report, and the
 * numbers behind it for the results file and the charts.
 *
 * @param caseName the case, such as {@code W=100, N=2000}
 * @param subject the contender's name
 * @param median the median, with its unit
 * @param spread min–max over the measured runs, and how many
 * @param derived the figure that the target is about (a ratio, a speedup), or empty
 * @param verdict whether the target is met
 * @param figures the measured numbers, or null where there are none (a case not run)
 */
record Row(
        String caseName,
        String subject,
        String median,
        String spread,
        String derived,
        Verdict verdict,
        Figures figures) {

    /** A row without numbers; {@link #with(Figures)} adds them. */
    Row(String caseName, String subject, String median, String spread, String derived, Verdict verdict) {
        this(caseName, subject, median, spread, derived, verdict, null);
    }

    /** This row with the numbers behind its cells. */
    Row with(Figures numbers) {
        return new Row(caseName, subject, median, spread, derived, verdict, numbers);
    }

    /**
     * The numbers behind a row, in one of the {@code unit} constants: the median and spread of its
     * measured runs and, for a wall time that has one, the ideal it is compared with.
     *
     * @param unit what the numbers count, one of {@link #ITEMS_PER_SECOND} … {@link #RATIO}
     * @param median the median of the runs
     * @param min the smallest run, NaN for a single figure that is not a sample (a ratio of medians)
     * @param max the largest run, NaN likewise
     * @param runs how many runs, 0 for a single figure
     * @param ideal the ideal that the median is compared with (W2, W6, W8: ⌈N/W⌉ × 20 ms), or NaN
     */
    record Figures(String unit, double median, double min, double max, int runs, double ideal) {

        /** Items per second. */
        static final String ITEMS_PER_SECOND = "items/s";
        /** Milliseconds. */
        static final String MILLIS = "ms";
        /** Microseconds. */
        static final String MICROS = "us";
        /** Mebibytes. */
        static final String MEBIBYTES = "MiB";
        /** A dimensionless ratio, such as a speedup. */
        static final String RATIO = "x";

        /** A sample's median, min, max and size. */
        static Figures of(Sample sample, String unit) {
            return new Figures(unit, sample.median(), sample.min(), sample.max(), sample.size(), Double.NaN);
        }

        /** One figure that is not a sample of runs, such as a ratio of two medians. */
        static Figures single(double value, String unit) {
            return new Figures(unit, value, Double.NaN, Double.NaN, 0, Double.NaN);
        }

        /** These figures compared with an ideal in the same unit. */
        Figures against(double idealValue) {
            return new Figures(unit, median, min, max, runs, idealValue);
        }

        /** The median over the ideal, NaN without an ideal. */
        double toIdeal() {
            return median / ideal;
        }
    }

    /** Whether a row meets its workload's target. */
    enum Verdict {
        /** The target is met. */
        MET("met"),
        /** The target is missed; the notes say why. */
        MISSED("**missed**"),
        /** Other processes used so much CPU during the case that an absolute target cannot be judged. */
        UNJUDGED("not judged: machine busy"),
        /** No target applies to this row (a peer, or a figure for information). */
        NONE(""),
        /** The case could not be measured; the median cell says why. */
        NOT_RUN("not run");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        /** How the report shows this verdict. */
        String text() {
            return text;
        }

        /** MET if {@code ok}, else MISSED. */
        static Verdict of(boolean ok) {
            return ok ? MET : MISSED;
        }
    }

    /** A row for a case that a contender cannot run or that failed. */
    static Row notRun(String caseName, String subject, String why) {
        return new Row(caseName, subject, "— (" + why + ")", "", "", Verdict.NOT_RUN);
    }
}
