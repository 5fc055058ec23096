package dev.pyper.bench;

import java.util.Arrays;

/**
 * The measured values of one case, one per run, in the case's unit.
 *
 * @param values one value per measured run, at least one
 */
@SuppressWarnings("ArrayRecordComponent") // a value holder of one case's runs, never compared or hashed
record Sample(double[] values) {

    /** A measurement of one run: returns the run's value in the case's unit. */
    @FunctionalInterface
    interface Run {
        double measure() throws Exception;
    }

    Sample {
        if (values.length == 0) {
            throw new IllegalArgumentException("a sample needs at least one value");
        }
        values = values.clone();
        Arrays.sort(values);
    }

    /**
     * Runs {@code warmups} unmeasured runs, then {@code runs} measured ones.
     *
     * @param warmups runs whose values are dropped
     * @param runs runs whose values are kept
     * @param run one run
     * @return the kept values
     * @throws Exception the first failure of a run
     */
    static Sample of(int warmups, int runs, Run run) throws Exception {
        for (int i = 0; i < warmups; i++) {
            run.measure();
        }
        double[] values = new double[runs];
        for (int i = 0; i < runs; i++) {
            values[i] = run.measure();
        }
        return new Sample(values);
    }

    double median() {
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    double min() {
        return values[0];
    }

    double max() {
        return values[values.length - 1];
    }

    int size() {
        return values.length;
    }
}
