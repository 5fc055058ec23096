package dev.pyper.examples;

import dev.pyper.RunMetrics;
import dev.pyper.TaskMetrics;
import java.io.Console;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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
    static final Duration PLAIN_INTERVAL = Duration.ofSeconds(2);

    private final Supplier<RunMetrics> metrics;
    private final PrintWriter out;
    private final boolean terminal;
    private final ScheduledExecutorService timer;
    /** The timer's one thread, once it has started: {@link #close()} waits for it to end. */
    private volatile Thread reporting;

    private final int columns;
    private RunMetrics previous;
    private int width;

    private ProgressReporter(Supplier<RunMetrics> metrics, PrintWriter out, boolean terminal) {
        this.metrics = metrics;
        this.out = out;
        this.terminal = terminal;
        this.columns = terminal ? terminalColumns() : Integer.MAX_VALUE;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pyper-progress");
            thread.setDaemon(true);
            reporting = thread;
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
    @SuppressWarnings("FutureReturnValueIgnored") // the timer is shut down by close(), not through this future
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
    @SuppressWarnings("SystemConsoleNull") // the code also runs on JDK 21, where console() may be null
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

    /**
     * The terminal's width: {@code COLUMNS} where the shell exports it, else what {@code stty size}
     * says about the controlling terminal, else (also for a terminal of unknown size, 0) 80.
     */
    private static int terminalColumns() {
        String exported = System.getenv("COLUMNS");
        if (exported != null && exported.strip().matches("[1-9]\\d*")) {
            return Math.max(20, Integer.parseInt(exported.strip()));
        }
        try {
            Process stty = new ProcessBuilder("stty", "size")
                    .redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String[] size = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
                    .strip()
                    .split("\\s+");
            if (!stty.waitFor(2, TimeUnit.SECONDS)) {
                stty.destroyForcibly();
            } else if (stty.exitValue() == 0 && size.length == 2 && size[1].matches("[1-9]\\d*")) {
                return Math.max(20, Integer.parseInt(size[1]));
            }
        } catch (IOException e) {
            // no stty, or no controlling terminal: assume the classic width
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 80;
    }

    private void report() {
        RunMetrics now = metrics.get();
        write(line(now, previous));
        previous = now;
    }

    private void write(String full) {
        if (terminal) {
            // A line longer than the terminal would wrap, and \r would then redraw only its last row.
            String line = full.length() < columns ? full : full.substring(0, columns - 1);
            out.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
            width = line.length();
        } else {
            out.println(full);
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
            // the executor counts as terminated a moment before its thread has ended
            Thread thread = reporting;
            if (thread != null) {
                thread.join(TimeUnit.SECONDS.toMillis(10));
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
     * One progress line: the elapsed time, then per task the items done (outputs of the producer,
     * inputs taken by the others), the rate since {@code before}, busy workers of all workers, and
     * buffered outputs after a {@code +} where there are any:
     * {@code 2.3 s | list 5.5k 4.3k/s 1/1 +256 | read 5.2k 4.3k/s 16/16 | …}.
     *
     * @param now the current metrics
     * @param before the metrics of the previous line, or null for the average rate over the run
     * @return the line
     */
    static String line(RunMetrics now, RunMetrics before) {
        List<String> parts = new ArrayList<>();
        parts.add(String.format(Locale.ROOT, "%.1f s%s", seconds(now.elapsed()), now.finished() ? " done" : ""));
        List<TaskMetrics> tasks = now.tasks();
        boolean sameTasks = before != null && before.tasks().size() == tasks.size();
        double seconds = seconds(now.elapsed()) - (sameTasks ? seconds(before.elapsed()) : 0);
        for (int k = 0; k < tasks.size(); k++) {
            TaskMetrics task = tasks.get(k);
            long done = done(task, k);
            long sinceDone = done - (sameTasks ? done(before.tasks().get(k), k) : 0);
            StringBuilder part = new StringBuilder(task.name()).append(' ').append(compact(done));
            if (seconds > 0) {
                part.append(' ')
                        .append(compact(Math.round(sinceDone / seconds)))
                        .append("/s");
            }
            part.append(' ').append(task.busyWorkers()).append('/').append(task.workers());
            if (task.buffered() > 0) {
                part.append(" +").append(compact(task.buffered()));
            }
            parts.add(part.toString());
        }
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
                .map(task -> String.format(
                        Locale.ROOT,
                        "%s: %,d in, %,d out, %,d failed, %d workers, mean %s, p99 %s",
                        task.name(),
                        task.itemsIn(),
                        task.itemsOut(),
                        task.failed(),
                        task.workers(),
                        millis(task.meanTime()),
                        millis(task.p99Time())))
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
