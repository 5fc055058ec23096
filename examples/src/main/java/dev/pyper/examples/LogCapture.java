package dev.pyper.examples;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * The log lines of one logger as they are printed, wherever they are written, for checking what
 * they show: those written in this JVM by a Logback appender added to the logger, formatted with
 * the layout of the logger's own console appender (so exactly as printed); those written in the
 * process executor's worker JVMs from this JVM's standard error, where the executor forwards a
 * worker's output prefixed with {@code [pyper task 'name' worker n, pid p]}.
 *
 * <p>The lines must follow the pattern of {@code logback.xml}'s {@code SERVICE} appender:
 * {@code … [thread] requestId=… trace_id=… logger - message}.
 */
final class LogCapture implements AutoCloseable {

    /**
     * One captured line.
     *
     * @param pid the process that wrote it
     * @param thread the thread that wrote it
     * @param requestId what the line shows as {@code requestId}, {@code -} for none
     * @param traceId what the line shows as {@code trace_id}, {@code -} for none
     * @param message the message
     * @param text the whole line
     */
    record Line(long pid, String thread, String requestId, String traceId, String message, String text) {}

    private static final Pattern LINE = Pattern.compile(
            "^\\S+ +\\S+ +\\[(?<thread>[^\\]]*)\\] requestId=(?<request>\\S+) trace_id=(?<trace>\\S+) (?<logger>\\S+) - (?<message>.*)$");
    private static final Pattern FORWARDED = Pattern.compile("^\\[pyper .*?, pid (?<pid>\\d+)\\] (?<line>.*)$");

    private final Logger logger;
    private final String loggerName;
    private final AppenderBase<ILoggingEvent> appender;
    private final PrintStream originalErr;
    private final PrintStream tee;
    private final List<Line> lines = new ArrayList<>();

    private LogCapture(Class<?> of) {
        logger = (Logger) LoggerFactory.getLogger(of);
        loggerName = of.getSimpleName();
        Layout<ILoggingEvent> layout = consoleLayout(logger);
        long pid = ProcessHandle.current().pid();
        appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                accept(pid, layout.doLayout(event).strip());
            }
        };
        appender.setContext(logger.getLoggerContext());
        appender.setName("capture");
        appender.start();
        logger.addAppender(appender);
        originalErr = System.err;
        tee = new PrintStream(new Tee(originalErr), true, StandardCharsets.UTF_8);
        System.setErr(tee);
    }

    /**
     * Starts capturing the lines of the logger of class {@code of}, in this JVM and in worker JVMs
     * started from now on.
     *
     * @param of the logger's class
     * @return the capture, to close
     * @throws IllegalStateException if the logger has no console appender with a layout of its own
     */
    static LogCapture start(Class<?> of) {
        return new LogCapture(of);
    }

    /**
     * The lines captured so far.
     *
     * @return a copy
     */
    synchronized List<Line> lines() {
        return List.copyOf(lines);
    }

    /**
     * Waits until at least {@code count} lines are in, or {@code limit} has passed.
     *
     * @param count the lines expected
     * @param limit the longest wait
     * @return whether they are in
     * @throws InterruptedException if interrupted while waiting
     */
    synchronized boolean await(int count, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        for (long left = limit.toNanos(); lines.size() < count; left = deadline - System.nanoTime()) {
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    private synchronized void accept(long pid, String text) {
        Matcher m = LINE.matcher(text);
        if (m.matches() && m.group("logger").equals(loggerName)) {
            lines.add(new Line(pid, m.group("thread"), m.group("request"), m.group("trace"), m.group("message"), text));
            notifyAll();
        }
    }

    private void forwarded(String text) {
        Matcher m = FORWARDED.matcher(text);
        if (m.matches()) {
            accept(Long.parseLong(m.group("pid")), m.group("line"));
        }
    }

    /** Stops capturing: removes the appender, and puts standard error back if it is still the tee. */
    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
        if (System.err == tee) {
            System.setErr(originalErr);
        }
    }

    private static Layout<ILoggingEvent> consoleLayout(Logger logger) {
        for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> out
                    && out.getEncoder() instanceof LayoutWrappingEncoder<ILoggingEvent> encoder
                    && encoder.getLayout() != null) {
                return encoder.getLayout();
            }
        }
        throw new IllegalStateException("the logger " + logger.getName() + " has no appender of its own with a pattern:"
                + " logback.xml (logback-test.xml in tests) gives it the SERVICE appender");
    }

    /** Standard error as it was, and each complete line handed to {@link #forwarded}. */
    private final class Tee extends OutputStream {
        private final PrintStream out;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Tee(PrintStream out) {
            this.out = out;
        }

        @Override
        public synchronized void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            out.write(b, off, len);
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    String text = line.toString(StandardCharsets.UTF_8);
                    line.reset();
                    forwarded(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
                } else {
                    line.write(b[i]);
                }
            }
        }

        @Override
        public void flush() {
            out.flush();
        }
    }
}
