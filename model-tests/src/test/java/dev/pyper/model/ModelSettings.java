package dev.pyper.model;

import java.util.SplittableRandom;

/**
 * The suite's knobs, read from system properties that surefire passes through (see the module's
 * pom): {@code pyper.model.tries} (cases per executor), {@code pyper.model.seed} (the first case's
 * seed; a failure prints the seed that replays it) and {@code pyper.model.caseTimeoutSeconds}
 * (after which a case counts as hung), and {@code pyper.model.repeat} (runs each case that many
 * times: to replay a rare failure, {@code -Dpyper.model.seed=<seed> -Dpyper.model.tries=1
 * -Dpyper.model.repeat=500}).
 *
 * @param tries cases per executor
 * @param seed the first case's seed
 * @param caseTimeoutSeconds the bound of one case
 * @param repeat how many times each case runs
 */
record ModelSettings(int tries, long seed, int caseTimeoutSeconds, int repeat) {

    static final int DEFAULT_TRIES = 300;
    static final int DEFAULT_CASE_TIMEOUT_SECONDS = 60;

    static ModelSettings fromSystemProperties() {
        String seed = property("pyper.model.seed");
        return new ModelSettings(
                intProperty("pyper.model.tries", DEFAULT_TRIES),
                seed == null ? new SplittableRandom().nextLong() : Long.parseLong(seed),
                intProperty("pyper.model.caseTimeoutSeconds", DEFAULT_CASE_TIMEOUT_SECONDS),
                intProperty("pyper.model.repeat", 1));
    }

    /** These settings with {@code 1/divisor} of the tries (at least one), for executors whose cases cost far more. */
    ModelSettings scaledDown(int divisor) {
        return new ModelSettings(Math.max(1, tries / divisor), seed, caseTimeoutSeconds, repeat);
    }

    private static int intProperty(String name, int fallback) {
        String value = property(name);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, was " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'", e);
        }
    }

    /** The property's value, or null when it is unset or blank (as an empty pom property arrives). */
    private static String property(String name) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
