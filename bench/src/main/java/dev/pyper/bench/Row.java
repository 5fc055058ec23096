package dev.pyper.bench;

/**
 * One line of a workload's table: a case on one contender, formatted for the report.
 *
 * @param caseName the case, such as {@code W=100, N=2000}
 * @param subject the contender's name
 * @param median the median, with its unit
 * @param spread min–max over the measured runs, and how many
 * @param derived the figure that the target is about (a ratio, a speedup), or empty
 * @param verdict whether the target is met
 */
record Row(String caseName, String subject, String median, String spread, String derived, Verdict verdict) {

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
