package dev.pyper.tck;

import dev.pyper.PipelineExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * One executor's conformance report: what the kit's tests of each rule came to, as one page of
 * Markdown that a third party can publish beside its executor. {@link ConformanceReportListener}
 * collects the results and writes it.
 *
 * <p>The tests tell this class which executor they ran against ({@link #record}), so that the
 * listener, which sees only test identifiers, can group the results by executor.
 */
final class ConformanceReport {

    /** The label of the Reactive Streams TCK's tests, which the report lists under rule 5.2. */
    static final String REACTIVE_STREAMS = "5.2";

    private static final int MAX_DETAIL = 220;

    /**
     * The executor that a test ran against.
     *
     * @param name its {@link PipelineExecutor#name()}
     * @param className its class
     * @param version the executor's version: the system property
     *     {@value ConformanceReportListener#EXECUTOR_VERSION}, or its jar's {@code Implementation-Version}, or
     *     {@code unknown}
     * @param unsupported its {@link PipelineExecutor#unsupportedRules()}
     */
    record Executor(String name, String className, String version, Map<String, String> unsupported) {

        static Executor of(PipelineExecutor executor) {
            Map<String, String> unsupported;
            try {
                unsupported = Map.copyOf(executor.unsupportedRules());
            } catch (RuntimeException e) {
                unsupported = Map.of();
            }
            return new Executor(
                    executor.name(),
                    executor.getClass().getName(),
                    ConformanceReport.version(executor.getClass()),
                    unsupported);
        }

        /** Tells the executors of one name apart in a file name: the same name, other classes. */
        String key() {
            return name + " " + className;
        }
    }

    /** How one test ended. */
    enum Status {
        PASSED,
        SKIPPED,
        FAILED
    }

    /**
     * One test's result.
     *
     * @param rule the rule it checks
     * @param reactiveStreams whether it is a test of the Reactive Streams TCK (rule 5.2)
     * @param test the test method's name
     * @param status how it ended
     * @param detail the reason of a skip or the first line of a failure's message, or empty
     */
    record Outcome(String rule, boolean reactiveStreams, String test, Status status, String detail) {}

    /** The executors the kit's tests ran against, by the unique id of the test class (the outermost one). */
    private static final Map<String, Executor> BY_TEST_CLASS = new ConcurrentHashMap<>();
    /** The executors of {@link PublisherVerification}s, by the name of the test class. */
    private static final Map<String, Executor> BY_PUBLISHER_CLASS = new ConcurrentHashMap<>();

    private final Executor executor;
    private final List<Outcome> outcomes;
    private final Set<String> kitRules;
    private final List<String> otherFailures;
    private final List<UncheckedRules.Row> unchecked;
    private final Instant date;

    /**
     * @param executor the executor
     * @param outcomes the results of its tests
     * @param kitRules the rules of the kit's test classes that ran against it, run or not
     * @param otherFailures failures outside any rule's test (a test class that could not start)
     * @param unchecked what the kit does not check
     * @param date when the tests ran
     */
    ConformanceReport(
            Executor executor,
            List<Outcome> outcomes,
            Set<String> kitRules,
            List<String> otherFailures,
            List<UncheckedRules.Row> unchecked,
            Instant date) {
        this.executor = executor;
        this.outcomes = List.copyOf(outcomes);
        this.kitRules = Set.copyOf(kitRules);
        this.otherFailures = List.copyOf(otherFailures);
        this.unchecked = List.copyOf(unchecked);
        this.date = date;
    }

    /**
     * Notes the executor that a test of the kit ran against.
     *
     * @param testUniqueId the test's unique id
     * @param executor the executor
     */
    static void record(String testUniqueId, PipelineExecutor executor) {
        BY_TEST_CLASS.putIfAbsent(testClassId(testUniqueId), Executor.of(executor));
    }

    /**
     * Notes the executor of a {@link PublisherVerification}.
     *
     * @param testClass the test class
     * @param executor the executor
     */
    static void recordPublisher(Class<?> testClass, PipelineExecutor executor) {
        BY_PUBLISHER_CLASS.put(testClass.getName(), Executor.of(executor));
    }

    /** The executor that the tests of a test class ran against, or null. */
    static Executor executorOfTestClass(String testUniqueId) {
        return BY_TEST_CLASS.get(testClassId(testUniqueId));
    }

    /** The executor of a {@link PublisherVerification} class, or null. */
    static Executor executorOfPublisher(String className) {
        return BY_PUBLISHER_CLASS.get(className);
    }

    /**
     * The unique id of the outermost test class that a test belongs to: its id up to the first
     * class segment ({@code [engine:junit-jupiter]/[class:dev.pyper.threads.ThreadExecutorTckTest]}).
     */
    static String testClassId(String uniqueId) {
        int start = uniqueId.indexOf("/[class:");
        int end = start < 0 ? -1 : uniqueId.indexOf(']', start);
        return end < 0 ? uniqueId : uniqueId.substring(0, end + 1);
    }

    /** The executor's version: the system property, its jar's manifest, or "unknown". */
    static String version(Class<?> executorClass) {
        String property = System.getProperty(ConformanceReportListener.EXECUTOR_VERSION);
        if (property != null && !property.isBlank()) {
            return property.strip();
        }
        Package p = executorClass.getPackage();
        String version = p == null ? null : p.getImplementationVersion();
        return version == null || version.isBlank() ? "unknown" : version;
    }

    /** The kit's own version, from the resource the build writes. */
    static String kitVersion() {
        try (InputStream in = ConformanceReport.class.getResourceAsStream("kit.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            String version = p.getProperty("version", "");
            return version.isBlank() || version.startsWith("${") ? "unknown" : version;
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The rule numbers in the order of the specification: 1.2 before 1.10. */
    static final Comparator<String> RULE_ORDER = Comparator.comparing(ConformanceReport::ruleKey);

    private static String ruleKey(String rule) {
        StringBuilder b = new StringBuilder();
        for (String part : rule.split("\\.")) {
            b.append(String.format("%6s", part)).append('.');
        }
        return b.toString();
    }

    /** What the tests of one rule came to. */
    private record RuleResult(String rule, boolean reactiveStreams, List<Outcome> outcomes) {

        long count(Status status) {
            return outcomes.stream().filter(o -> o.status() == status).count();
        }

        Status status() {
            if (count(Status.FAILED) > 0) {
                return Status.FAILED;
            }
            return count(Status.PASSED) > 0 ? Status.PASSED : Status.SKIPPED;
        }
    }

    /** The report's verdict in a word. */
    String verdict() {
        List<RuleResult> results = results();
        if (!otherFailures.isEmpty() || results.stream().anyMatch(r -> r.status() == Status.FAILED)) {
            return "failed";
        }
        return notRun().isEmpty() ? "passed" : "incomplete";
    }

    /** The file name of this report, with the class's simple name when executors of one name differ. */
    static String fileName(Executor executor, boolean nameShared) {
        String base = executor.name().replaceAll("[^A-Za-z0-9._-]", "-");
        if (nameShared) {
            String simple = executor.className().substring(executor.className().lastIndexOf('.') + 1);
            base += "-" + simple.replaceAll("[^A-Za-z0-9._-]", "-");
        }
        return base + "-conformance.md";
    }

    private List<RuleResult> results() {
        Map<String, List<Outcome>> kit = new TreeMap<>(RULE_ORDER);
        List<Outcome> reactive = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (o.reactiveStreams()) {
                reactive.add(o);
            } else {
                kit.computeIfAbsent(o.rule(), r -> new ArrayList<>()).add(o);
            }
        }
        List<RuleResult> results = new ArrayList<>();
        kit.forEach((rule, list) -> results.add(new RuleResult(rule, false, list)));
        if (!reactive.isEmpty()) {
            results.add(new RuleResult(REACTIVE_STREAMS, true, reactive)); // its row follows the kit's own 5.2
        }
        return results;
    }

    private Set<String> notRun() {
        Set<String> ran = outcomes.stream()
                .filter(o -> !o.reactiveStreams())
                .map(Outcome::rule)
                .collect(Collectors.toSet());
        return kitRules.stream()
                .filter(r -> !ran.contains(r))
                .collect(Collectors.toCollection(() -> new java.util.TreeSet<>(RULE_ORDER)));
    }

    /**
     * The report, one page of Markdown.
     *
     * @return the Markdown text
     */
    String markdown() {
        List<RuleResult> results = results();
        Set<String> notRun = notRun();
        // the kit's and the Reactive Streams TCK's rows of 5.2 count as one rule
        Map<String, Status> byRule = new TreeMap<>(RULE_ORDER);
        for (RuleResult r : results) {
            byRule.merge(
                    r.rule(),
                    r.status(),
                    (a, c) -> a == Status.FAILED || c == Status.FAILED
                            ? Status.FAILED
                            : a == Status.PASSED || c == Status.PASSED ? Status.PASSED : Status.SKIPPED);
        }
        long passed = byRule.values().stream().filter(s -> s == Status.PASSED).count();
        long skipped = byRule.values().stream().filter(s -> s == Status.SKIPPED).count();
        long failed = byRule.values().stream().filter(s -> s == Status.FAILED).count();
        Map<Status, Long> tests = new LinkedHashMap<>();
        for (Status s : Status.values()) {
            tests.put(s, outcomes.stream().filter(o -> o.status() == s).count());
        }
        List<UncheckedRules.Row> whole =
                unchecked.stream().filter(UncheckedRules.Row::wholeRule).toList();
        boolean reactiveStreamsRan = outcomes.stream().anyMatch(Outcome::reactiveStreams);
        List<UncheckedRules.Row> parts = unchecked.stream()
                .filter(r -> !r.wholeRule() && !(reactiveStreamsRan && r.rule().equals(REACTIVE_STREAMS)))
                .toList();

        StringBuilder b = new StringBuilder();
        b.append("# Conformance report: executor `").append(executor.name()).append("`\n\n");
        b.append("The rules of Pyper for Java's specification (docs/SPEC.md), checked by its conformance kit.\n\n");
        b.append("| | |\n|---|---|\n");
        b.append("| executor | `")
                .append(executor.name())
                .append("` (`")
                .append(executor.className())
                .append("`) |\n");
        b.append("| version | ").append(cell(executor.version())).append(" |\n");
        b.append("| kit | `dev.pyper:pyper-tck` ").append(cell(kitVersion())).append(" |\n");
        b.append("| JDK | ").append(cell(jdk())).append(" |\n");
        b.append("| date | ")
                .append(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
                        .withZone(ZoneOffset.UTC)
                        .format(date))
                .append(" |\n");
        b.append("| result | **")
                .append(verdict())
                .append("**: ")
                .append(passed)
                .append(" rules passed, ")
                .append(skipped)
                .append(" skipped, ")
                .append(failed)
                .append(" failed");
        if (!notRun.isEmpty()) {
            b.append(", ").append(notRun.size()).append(" not run");
        }
        b.append("; ").append(whole.size()).append(" not checked by the kit |\n");
        b.append("| tests | ")
                .append(tests.values().stream().mapToLong(Long::longValue).sum())
                .append(": ")
                .append(tests.get(Status.PASSED))
                .append(" passed, ")
                .append(tests.get(Status.SKIPPED))
                .append(" skipped, ")
                .append(tests.get(Status.FAILED))
                .append(" failed |\n\n");

        b.append("| rule | result | tests | detail |\n|---|---|---|---|\n");
        Map<String, String> rows = new TreeMap<>(RULE_ORDER);
        for (RuleResult r : results) {
            String row = row(r);
            rows.merge(r.rule(), row, (a, c) -> a + c);
        }
        for (String rule : notRun) {
            String row = "| " + rule
                    + " | not run | 0 | none of the kit's tests of this rule ran (a filter such as `-Dtest`?) |\n";
            rows.merge(rule, row, (a, c) -> a + c);
        }
        for (UncheckedRules.Row row : whole) {
            rows.merge(row.rule(), "| " + row.rule() + " | not checked | — | " + row.why() + " |\n", (a, c) -> a + c);
        }
        rows.values().forEach(b::append);
        if (!otherFailures.isEmpty()) {
            b.append("\nFailures outside a rule's test:\n\n");
            otherFailures.forEach(
                    f -> b.append("- ").append(f.replace('\n', ' ')).append('\n'));
        }
        if (!parts.isEmpty()) {
            b.append(
                    "\nParts of rules that the kit does not check (why, and what checks them instead: the kit's README):\n\n");
            parts.forEach(r -> b.append("- ")
                    .append(r.rule())
                    .append(": ")
                    .append(r.what())
                    .append('\n'));
        }
        return b.toString();
    }

    private String row(RuleResult r) {
        int n = r.outcomes().size();
        long failed = r.count(Status.FAILED);
        long skipped = r.count(Status.SKIPPED);
        String tests = r.reactiveStreams() ? n + " (Reactive Streams TCK)" : Integer.toString(n);
        String result;
        String detail;
        switch (r.status()) {
            case FAILED -> {
                result = "**failed**";
                tests = failed + " of " + tests + " failed";
                detail = details(r, Status.FAILED);
            }
            case SKIPPED -> {
                result = "skipped";
                detail = details(r, Status.SKIPPED);
            }
            default -> {
                result = "passed";
                if (r.reactiveStreams()) {
                    detail = skipped == 0 ? "" : skipped + " skipped by that TCK (its optional and untested rules)";
                } else if (skipped > 0) {
                    result = "passed, " + skipped + " of " + n + " skipped";
                    detail = details(r, Status.SKIPPED);
                } else {
                    detail = "";
                }
            }
        }
        return "| " + r.rule() + " | " + result + " | " + tests + " |" + (detail.isEmpty() ? "" : " " + detail)
                + " |\n";
    }

    /** The distinct details of a rule's tests of one status, each with the test's name where it failed. */
    private String details(RuleResult r, Status status) {
        Set<String> distinct = new LinkedHashSet<>();
        for (Outcome o : r.outcomes()) {
            if (o.status() == status) {
                String declared = status == Status.SKIPPED && !o.reactiveStreams()
                        ? ExecutorVerification.unsupportedReason(executor.unsupported(), o.rule())
                        : null;
                if (declared != null) {
                    distinct.add("declared unsupported: " + declared);
                } else if (status == Status.FAILED) {
                    distinct.add("`" + o.test() + "`: " + o.detail());
                } else {
                    distinct.add(o.detail());
                }
            }
        }
        return cell(String.join("; ", distinct));
    }

    /** Text for a table cell: one line, no pipe, not too long. */
    static String cell(String text) {
        String line = text == null
                ? ""
                : text.strip().replace("\r", "").replace('\n', ' ').replace("|", "\\|");
        return line.length() <= MAX_DETAIL ? line : line.substring(0, MAX_DETAIL - 1) + "…";
    }

    /** The first line of a message, or the exception's class name if it has none. */
    static String firstLine(Throwable t) {
        if (t == null) {
            return "";
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getName();
        }
        return message.strip().lines().findFirst().orElse("");
    }

    private static String jdk() {
        return System.getProperty("java.runtime.version", System.getProperty("java.version")) + " ("
                + System.getProperty("java.vendor", "?") + "), " + System.getProperty("os.name", "?") + " "
                + System.getProperty("os.arch", "?");
    }
}
