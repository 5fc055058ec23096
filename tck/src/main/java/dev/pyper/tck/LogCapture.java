package dev.pyper.tck;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The log lines of a test, read through Logback (rule 8.6): a {@link ListAppender} attached to the
 * given loggers, which are set to {@code DEBUG} and kept from passing their lines on to the
 * configured appenders, until {@link #close()} puts them back as they were.
 *
 * <p>Only this class refers to Logback, and the kit uses it only once it has seen that Logback is
 * the backend behind SLF4J (its logger factory is {@value #LOGBACK}): an executor whose tests bind
 * another backend, or none, never loads it, and the kit skips the log tests naming the backend.
 */
final class LogCapture implements AutoCloseable {

    /** The class of Logback's logger factory, as SLF4J names its backend. */
    static final String LOGBACK = "ch.qos.logback.classic.LoggerContext";

    /**
     * One log line as the kit sees it.
     *
     * @param logger the logger's name
     * @param level {@code ERROR}, {@code WARN}, {@code INFO}, {@code DEBUG} or {@code TRACE}
     * @param text the message with its arguments filled in
     * @param hasThrowable whether the line carries an exception (a stack trace)
     */
    record Line(String logger, String level, String text, boolean hasThrowable) {
        @Override
        public String toString() {
            return level + " " + logger + " - " + text + (hasThrowable ? " [with a stack trace]" : "");
        }
    }

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final List<Logger> loggers = new ArrayList<>();
    private final List<Level> levelsBefore = new ArrayList<>();
    private final List<Boolean> additiveBefore = new ArrayList<>();

    private LogCapture(List<String> names) {
        appender.setName("pyper-tck-capture");
        appender.start();
        for (String name : names) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            loggers.add(logger);
            levelsBefore.add(logger.getLevel());
            additiveBefore.add(logger.isAdditive());
            logger.setLevel(Level.DEBUG);
            logger.setAdditive(false); // the test's DEBUG lines stay out of the build's console
            logger.addAppender(appender);
        }
    }

    /**
     * Starts capturing every line of {@code names} and the loggers under them, at {@code DEBUG}
     * and above. Give names none of which lies under another, or lines arrive twice.
     *
     * @param names logger names, such as {@code dev.pyper}
     * @return the capture, to close
     */
    static LogCapture of(List<String> names) {
        return new LogCapture(names);
    }

    /** The lines so far, in the order they were logged. */
    List<Line> lines() {
        List<ILoggingEvent> events;
        synchronized (appender) { // Logback appends under the appender's lock
            events = new ArrayList<>(appender.list);
        }
        return events.stream()
                .map(e -> new Line(
                        e.getLoggerName(),
                        e.getLevel().toString(),
                        e.getFormattedMessage(),
                        e.getThrowableProxy() != null))
                .toList();
    }

    /** Detaches the appender and gives each logger its level back. */
    @Override
    public void close() {
        for (int i = 0; i < loggers.size(); i++) {
            loggers.get(i).detachAppender(appender);
            loggers.get(i).setLevel(levelsBefore.get(i));
            loggers.get(i).setAdditive(additiveBefore.get(i));
        }
        appender.stop();
    }
}
