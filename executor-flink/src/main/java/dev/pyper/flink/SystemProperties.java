package dev.pyper.flink;

import java.time.Duration;

/**
 * The system properties that configure a {@link FlinkExecutor} without code, as its
 * {@link FlinkExecutor.Builder}'s defaults: how a deployment chooses a cluster (rule 2.8's
 * "the caller chooses the executor per deployment").
 */
final class SystemProperties {

    static final String REMOTE = "pyper.flink.remote";
    static final String JARS = "pyper.flink.jars";
    static final String TASK_MANAGERS = "pyper.flink.taskManagers";
    static final String SLOTS = "pyper.flink.slotsPerTaskManager";
    static final String BUFFER_TIMEOUT = "pyper.flink.bufferTimeoutMillis";
    static final String IDLE_TIMEOUT = "pyper.flink.idleTimeoutSeconds";

    private SystemProperties() {}

    /**
     * Sets on {@code builder} what the system properties say; a remote address wins over an
     * embedded cluster's shape.
     *
     * @return the builder
     * @throws IllegalArgumentException naming the property, if one has a bad value
     */
    static FlinkExecutor.Builder applyTo(FlinkExecutor.Builder builder) {
        String tms = System.getProperty(TASK_MANAGERS);
        String slots = System.getProperty(SLOTS);
        if (tms != null || slots != null) {
            builder.embedded(
                    tms == null ? FlinkExecutor.Builder.DEFAULT_TASK_MANAGERS : whole(TASK_MANAGERS, tms),
                    slots == null ? FlinkExecutor.Builder.DEFAULT_SLOTS : whole(SLOTS, slots));
        }
        String remote = System.getProperty(REMOTE);
        if (remote != null && !remote.isBlank()) {
            int colon = remote.lastIndexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException(REMOTE + " must be host:port, was '" + remote + "'");
            }
            String jars = System.getProperty(JARS, "");
            builder.remote(
                    remote.substring(0, colon).strip(),
                    whole(REMOTE, remote.substring(colon + 1)),
                    jars.isBlank() ? new String[0] : jars.split(","));
        }
        String timeout = System.getProperty(BUFFER_TIMEOUT);
        if (timeout != null) {
            builder.bufferTimeout(Duration.ofMillis(whole(BUFFER_TIMEOUT, timeout)));
        }
        String idle = System.getProperty(IDLE_TIMEOUT);
        if (idle != null) {
            builder.idleTimeout(Duration.ofSeconds(whole(IDLE_TIMEOUT, idle)));
        }
        return builder;
    }

    private static int whole(String name, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "the system property " + name + " must be a whole number, was '" + value + "'", e);
        }
    }
}
