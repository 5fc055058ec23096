package dev.pyper.examples;

import dev.pyper.RunMetrics;
import dev.pyper.TaskMetrics;
import java.io.Console;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Shows a run's progress while it goes, from nothing but its public metrics
 * ({@link dev.pyper.PipelineRun#metrics()}): per task, items done, rate, busy workers and buffered
 * outputs.
 *
 * <p>On a terminal it redraws one line in place ({@code \r}) a few times a second; otherwise
 * (a pipe, a log file, a build tool) it writes a plain line every few seconds. Reports come from
 * one daemon thread of its own; {@link #close()} stops that thread, waits for it, and writes the
 * final line, so no report can interleave with what the caller prints afterwards.
 *
 * <p>Only the reporting thread touches {@code previous} and {@code width} until {@link #close()}
 * has waited for it to end; after that, only the closing thread does.
 */
final class ProgressReporter implements AutoCloseable {

    static final Duration TERMINAL_INTERVAL = Duration.ofMillis(250);
    static final Duration PLAIN_INTERVAL = Duration.ofSeconds(3);

    private final Supplier<RunMetrics> metrics;
    private final PrintWriter out;
    private final boolean terminal;
    private final ScheduledExecutorService timer;
    private RunMetrics previous;
    private int width;

    private ProgressReporter(Supplier<RunMetrics> metrics, PrintWriter out, boolean terminal) {
        this.metrics = metrics;
        this.out = out;
        this.terminal = terminal;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pyper-progress");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts reporting.
     *
     * @param metrics where the run's metrics come from, such as {@code run::metrics}
     * @param out where progress goes (standard error)
     * @param terminal whether {@code out} is a terminal that can redraw a line
     * @return the running reporter, which the caller closes when the run has ended
     */
    static ProgressReporter start(Supplier<RunMetrics> metrics, PrintWriter out, boolean terminal) {
        ProgressReporter reporter = new ProgressReporter(metrics, out, terminal);
        long every = (terminal ? TERMINAL_INTERVAL : PLAIN_INTERVAL).toMillis();
        reporter.timer.scheduleAtFixedRate(reporter::report, every, every, TimeUnit.MILLISECONDS);
        return reporter;
    }

    /**
     * Whether this JVM's console is an interactive terminal. {@code System.console()} alone does not
     * tell on JDK 22 and later, where it may return a console for redirected streams; there
     * {@code Console.isTerminal()} does (read reflectively, since the code compiles for Java 21).
     *
     * @return true if a line can be redrawn in place
     */
    static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // Java 21: a console exists only for a terminal
        }
    }

    private void report() {
        RunMetrics now = metrics.get();
        write(line(now, previous));
        previous = now;
    }

    private void write(String line) {
        if (terminal) {
            out.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
            width = line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Stops reporting, waits for the reporting thread to end, and writes the final state. */
    @Override
    public void close() {
        timer.shutdown();
        try {
            if (!timer.awaitTermination(10, TimeUnit.SECONDS)) {
                timer.shutdownNow();
            }
        } catch (InterruptedException e) {
            timer.shutdownNow();
            Thread.currentThread().interrupt();
        }
        write(line(metrics.get(), null));
        if (terminal) {
            out.println();
            out.flush();
        }
    }

    /**
     * One progress line: per task, items done (outputs of the producer, inputs taken by the
     * others), the rate since {@code before}, busy workers and buffered outputs; then the elapsed
     * time.
     *
     * @param now the current metrics
     * @param before the metrics of the previous line, or null for the average rate over the run
     * @return the line
     */
    static String line(RunMetrics now, RunMetrics before) {
        List<String> parts = new ArrayList<>();
        List<TaskMetrics> tasks = now.tasks();
        for (int k = 0; k < tasks.size(); k++) {
            TaskMetrics task = tasks.get(k);
            long done = done(task, k);
            double seconds = seconds(now.elapsed());
            long sinceDone = done;
            if (before != null && before.tasks().size() == tasks.size()) {
                seconds -= seconds(before.elapsed());
                sinceDone -= done(before.tasks().get(k), k);
            }
            StringBuilder part = new StringBuilder(task.name()).append(' ').append(compact(done));
            if (seconds > 0) {
                part.append(' ').append(compact(Math.round(sinceDone / seconds))).append("/s");
            }
            if (task.busyWorkers() > 0) {
                part.append(" busy ").append(task.busyWorkers()).append('/').append(task.workers());
            }
            if (task.buffered() > 0) {
                part.append(" buf ").append(compact(task.buffered()));
            }
            parts.add(part.toString());
        }
        parts.add(String.format(Locale.ROOT, "%.1f s%s", seconds(now.elapsed()), now.finished() ? " done" : ""));
        return String.join(" | ", parts);
    }

    /**
     * The final per-task figures, one line per task: items, failures, workers, and the time spent
     * in the function.
     *
     * @param end the metrics of the ended run
     * @return the lines
     */
    static List<String> summary(RunMetrics end) {
        return end.tasks().stream()
                .map(task -> String.format(Locale.ROOT, "%s: %,d in, %,d out, %,d failed, %d workers, mean %s, p99 %s",
                        task.name(), task.itemsIn(), task.itemsOut(), task.failed(), task.workers(),
                        millis(task.meanTime()), millis(task.p99Time())))
                .toList();
    }

    private static long done(TaskMetrics task, int index) {
        return index == 0 ? task.itemsOut() : task.itemsIn();
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static String millis(Duration duration) {
        return String.format(Locale.ROOT, "%.3f ms", duration.toNanos() / 1e6);
    }

    /** 950, 12.3k, 4.5M: short enough for a line that must fit a terminal. */
    static String compact(long n) {
        if (n < 1_000) {
            return Long.toString(n);
        }
        if (n < 1_000_000) {
            return String.format(Locale.ROOT, "%.1fk", n / 1e3);
        }
        return String.format(Locale.ROOT, "%.1fM", n / 1e6);
    }
}
