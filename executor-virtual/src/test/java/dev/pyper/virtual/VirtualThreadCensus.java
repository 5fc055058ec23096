package dev.pyper.virtual;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A snapshot of every live thread of this JVM, virtual threads included: the way to check that
 * an executor leaves none of its threads behind (rule 4.5), and to see where threads are blocked.
 *
 * <p>Virtual threads are missing from {@link Thread#getAllStackTraces()} and from
 * {@link java.lang.management.ThreadMXBean}. The JDK's own thread dump
 * ({@link HotSpotDiagnosticMXBean#dumpThreads}, JSON format, the same as
 * {@code jcmd <pid> Thread.dump_to_file -format=json}) lists them, provided the JDK tracks
 * virtual threads created directly with the {@code Thread} API, which it does unless
 * {@code -Djdk.trackAllThreads=false}. So that a census can never pass by seeing nothing, every
 * {@link #take()} starts a parked probe virtual thread and fails if the dump does not show it.
 *
 * <pre>{@code
 * executor.close();
 * List<VirtualThreadCensus.Entry> left = VirtualThreadCensus.awaitNoneNamed("pyper-", Duration.ofSeconds(5));
 * assertEquals(List.of(), left, () -> VirtualThreadCensus.describe(left));
 * }</pre>
 *
 * <p>Costs a few milliseconds per snapshot (a temporary file, deleted again). Thread-safe: each
 * snapshot is an immutable value.
 */
public final class VirtualThreadCensus {

    /** The name of the probe thread that proves virtual threads are visible; left out of every snapshot. */
    static final String PROBE_NAME = "virtual-thread-census-probe";

    /**
     * One thread as the dump shows it.
     *
     * @param id the thread id ({@link Thread#threadId()})
     * @param name the thread's name, possibly empty (unnamed virtual threads)
     * @param virtual whether it is a virtual thread
     * @param state its {@link Thread.State} name, such as {@code WAITING}
     * @param stack its frames, innermost first, as {@code module/class.method(File.java:line)}
     */
    public record Entry(long id, String name, boolean virtual, String state, List<String> stack) {

        /**
         * Whether any frame of this thread is in the given method.
         *
         * @param classAndMethod a fully qualified class name and method name, such as
         *     {@code dev.pyper.engine.Channel.put}
         * @return true if the stack contains a frame of that method
         */
        public boolean isIn(String classAndMethod) {
            String call = classAndMethod + "(";
            return stack.stream().anyMatch(frame -> frame.contains(call));
        }
    }

    private final List<Entry> threads;

    private VirtualThreadCensus(List<Entry> threads) {
        this.threads = List.copyOf(threads);
    }

    /**
     * Takes a snapshot of every live thread, platform and virtual.
     *
     * @return the snapshot
     * @throws IllegalStateException if the dump does not show virtual threads (for example under
     *     {@code -Djdk.trackAllThreads=false}), so that an empty census is never a false pass
     */
    public static VirtualThreadCensus take() {
        CountDownLatch release = new CountDownLatch(1);
        Thread probe = Thread.ofVirtual().name(PROBE_NAME).start(() -> uninterruptibly(release::await));
        try {
            List<Entry> all = ThreadDumpJson.threads(dump());
            if (all.stream().noneMatch(t -> t.id() == probe.threadId())) {
                throw new IllegalStateException(
                        "The thread dump does not list virtual threads, so a census cannot see them;"
                                + " run without -Djdk.trackAllThreads=false (jdk.trackAllThreads="
                                + System.getProperty("jdk.trackAllThreads") + ")");
            }
            return new VirtualThreadCensus(
                    all.stream().filter(t -> t.id() != probe.threadId()).toList());
        } finally {
            release.countDown();
            uninterruptibly(probe::join);
        }
    }

    /**
     * Takes snapshots until no live thread's name starts with {@code prefix}, or the timeout has
     * passed. The wait is there because a worker's thread still has a few instructions to run
     * after its executor has counted it as ended.
     *
     * @param prefix the start of the names to look for, such as {@code "pyper-"}
     * @param timeout how long to keep looking
     * @return the threads still there at the end of the wait: empty when all have gone
     */
    public static List<Entry> awaitNoneNamed(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Entry> left = take().named(prefix);
        while (!left.isEmpty() && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
            left = take().named(prefix);
        }
        return left;
    }

    /**
     * Every thread of the snapshot.
     *
     * @return the threads, in the dump's order
     */
    public List<Entry> threads() {
        return threads;
    }

    /**
     * The threads whose name starts with {@code prefix}.
     *
     * @param prefix the start of the name, such as {@code "pyper-"}
     * @return those threads
     */
    public List<Entry> named(String prefix) {
        return threads.stream().filter(t -> t.name().startsWith(prefix)).toList();
    }

    /**
     * The virtual threads of the snapshot.
     *
     * @return those threads
     */
    public List<Entry> virtualThreads() {
        return threads.stream().filter(Entry::virtual).toList();
    }

    /**
     * The threads as an assertion message shows them: name, kind, state and innermost frames.
     *
     * @param threads the threads to show
     * @return one line per thread
     */
    public static String describe(List<Entry> threads) {
        StringBuilder text = new StringBuilder();
        for (Entry t : threads) {
            text.append('\n')
                    .append(t.name())
                    .append(t.virtual() ? " (virtual, " : " (platform, ")
                    .append(t.state())
                    .append(") at ")
                    .append(t.stack().stream().limit(6).toList());
        }
        return text.toString();
    }

    private static String dump() {
        try {
            Path dir = Files.createTempDirectory("pyper-census");
            Path file = dir.resolve("threads.json");
            try {
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                        .dumpThreads(file.toAbsolutePath().toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
                return Files.readString(file);
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not dump the threads of this JVM", e);
        }
    }

    /** A wait that may be interrupted. */
    private interface Wait {
        void run() throws InterruptedException;
    }

    /** Waits to the end, keeping an interrupt for afterwards: a census must not abandon its probe. */
    private static void uninterruptibly(Wait wait) {
        boolean interrupted = false;
        while (true) {
            try {
                wait.run();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reads the JDK's JSON thread dump: {@code threadDump.threadContainers[].threads[]}, each with
     * {@code tid}, {@code name}, {@code virtual} (absent for platform threads), {@code state}
     * (JDK 25+) and {@code stack}. A minimal JSON reader, enough for what the JDK writes.
     */
    private static final class ThreadDumpJson {
        private final String text;
        private int at;

        private ThreadDumpJson(String text) {
            this.text = text;
        }

        @SuppressWarnings("unchecked")
        static List<Entry> threads(String json) {
            Map<String, Object> root = (Map<String, Object>) new ThreadDumpJson(json).value();
            Map<String, Object> dump = (Map<String, Object>) root.get("threadDump");
            List<Entry> threads = new ArrayList<>();
            for (Object container : (List<Object>) dump.get("threadContainers")) {
                for (Object t : (List<Object>) ((Map<String, Object>) container).get("threads")) {
                    Map<String, Object> thread = (Map<String, Object>) t;
                    threads.add(new Entry(
                            Long.parseLong(String.valueOf(thread.get("tid"))),
                            String.valueOf(thread.getOrDefault("name", "")),
                            Boolean.TRUE.equals(thread.get("virtual")) || "true".equals(thread.get("virtual")),
                            String.valueOf(thread.getOrDefault("state", "")),
                            ((List<Object>) thread.getOrDefault("stack", List.of()))
                                    .stream().map(String::valueOf).toList()));
                }
            }
            return threads;
        }

        private Object value() {
            skipSpace();
            char c = text.charAt(at);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                default -> literal();
            };
        }

        private Map<String, Object> object() {
            Map<String, Object> map = new LinkedHashMap<>();
            at++; // {
            skipSpace();
            if (text.charAt(at) == '}') {
                at++;
                return map;
            }
            while (true) {
                skipSpace();
                String key = string();
                skipSpace();
                expect(':');
                map.put(key, value());
                skipSpace();
                if (text.charAt(at++) == '}') {
                    return map;
                }
            }
        }

        private List<Object> array() {
            List<Object> list = new ArrayList<>();
            at++; // [
            skipSpace();
            if (text.charAt(at) == ']') {
                at++;
                return list;
            }
            while (true) {
                list.add(value());
                skipSpace();
                if (text.charAt(at++) == ']') {
                    return list;
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder s = new StringBuilder();
            while (true) {
                char c = text.charAt(at++);
                if (c == '"') {
                    return s.toString();
                }
                if (c != '\\') {
                    s.append(c);
                    continue;
                }
                char e = text.charAt(at++);
                switch (e) {
                    case 'n' -> s.append('\n');
                    case 't' -> s.append('\t');
                    case 'r' -> s.append('\r');
                    case 'b' -> s.append('\b');
                    case 'f' -> s.append('\f');
                    case 'u' -> {
                        s.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        at += 4;
                    }
                    default -> s.append(e); // \" \\ \/
                }
            }
        }

        /** A number, true, false or null; numbers are kept as their text. */
        private Object literal() {
            int start = at;
            while (at < text.length() && ",}] \n\r\t".indexOf(text.charAt(at)) < 0) {
                at++;
            }
            String word = text.substring(start, at);
            return switch (word) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                case "null" -> null;
                default -> word;
            };
        }

        private void expect(char c) {
            if (text.charAt(at) != c) {
                throw new IllegalStateException("Unexpected thread dump format at " + at + ": expected '" + c + "'");
            }
            at++;
        }

        private void skipSpace() {
            while (Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }
    }
}
