package dev.pyper.flink;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Keeps Flink's start-up noise out of the user's console. A cluster that starts logs some 280
 * lines at {@code INFO} (and one {@code WARN} about a log file the web UI will not show), which
 * a user running pyper at the usual {@code INFO} level did not ask for.
 *
 * <p>Before the first cluster or job of this JVM, the loggers {@code org.apache.flink} and
 * {@code org.apache.pekko} are set to {@code WARN} (and Flink's web-monitor utilities to
 * {@code ERROR}) in the logging backend behind SLF4J, but only where the user's configuration
 * gives them no level of their own: an explicit level always wins. Supported backends: Logback,
 * Log4j 2 and {@code java.util.logging}, reached by reflection, so that none is a dependency;
 * with another backend, or with {@code -Dpyper.flink.quietLogging=false}, nothing is changed.
 * Log4j 2 gives each class loader a logger context of its own, and Flink loads its RPC library
 * through one of its own: that library's start-up lines (about 20) still pass.
 */
final class FlinkLogging {

    /** The loggers quietened, and the level each gets. */
    static final Map<String, String> QUIET = Map.of(
            "org.apache.flink", "WARN",
            "org.apache.pekko", "WARN",
            "org.apache.flink.runtime.webmonitor.WebMonitorUtils", "ERROR");

    /** java.util.logging keeps loggers only weakly: the ones given a level are held here. */
    private static final List<java.util.logging.Logger> HELD = new ArrayList<>();

    private static boolean done;

    private FlinkLogging() {}

    /** Quietens Flink's loggers once per JVM, unless {@code -Dpyper.flink.quietLogging=false}. */
    static synchronized void quietenOnce() {
        if (done || "false".equals(System.getProperty("pyper.flink.quietLogging"))) {
            return;
        }
        done = true;
        QUIET.forEach(FlinkLogging::quieten);
    }

    /**
     * Sets {@code name} to {@code level} in the backend behind SLF4J if the configuration gives it no
     * level of its own.
     *
     * @return whether the level was set
     */
    static boolean quieten(String name, String level) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        try {
            return switch (factory.getClass().getName()) {
                case "ch.qos.logback.classic.LoggerContext" -> logback(factory, name, level);
                case "org.apache.logging.slf4j.Log4jLoggerFactory" -> log4j(factory, name, level);
                case "org.slf4j.jul.JDK14LoggerFactory" -> jul(name, level);
                default -> false;
            };
        } catch (ReflectiveOperationException | RuntimeException e) {
            LoggerFactory.getLogger(FlinkLogging.class)
                    .debug("Could not set logger {} to {}: {}", name, level, e.toString());
            return false;
        }
    }

    private static boolean logback(ILoggerFactory factory, String name, String level)
            throws ReflectiveOperationException {
        Object logger = factory.getLogger(name);
        if (logger.getClass().getMethod("getLevel").invoke(logger) != null) {
            return false;
        }
        Class<?> levels = Class.forName(
                "ch.qos.logback.classic.Level", true, logger.getClass().getClassLoader());
        logger.getClass()
                .getMethod("setLevel", levels)
                .invoke(logger, levels.getField(level).get(null));
        return true;
    }

    private static boolean log4j(ILoggerFactory factory, String name, String level)
            throws ReflectiveOperationException {
        ClassLoader loader = factory.getClass().getClassLoader();
        Object context = Class.forName("org.apache.logging.log4j.LogManager", true, loader)
                .getMethod("getContext", boolean.class)
                .invoke(null, false);
        Object configuration = context.getClass().getMethod("getConfiguration").invoke(context);
        Map<?, ?> configured =
                (Map<?, ?>) configuration.getClass().getMethod("getLoggers").invoke(configuration);
        if (configured.containsKey(name)) {
            return false;
        }
        Class<?> levels = Class.forName("org.apache.logging.log4j.Level", true, loader);
        Method setLevel = Class.forName("org.apache.logging.log4j.core.config.Configurator", true, loader)
                .getMethod("setLevel", String.class, levels);
        setLevel.invoke(null, name, levels.getMethod("valueOf", String.class).invoke(null, level));
        return true;
    }

    private static boolean jul(String name, String level) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        if (logger.getLevel() != null) {
            return false;
        }
        logger.setLevel("ERROR".equals(level) ? java.util.logging.Level.SEVERE : java.util.logging.Level.WARNING);
        HELD.add(logger);
        return true;
    }
}
