package dev.pyper.tck;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.platform.engine.ConfigurationParameters;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Writes the conformance report of each executor that the kit's tests ran against: one page of
 * Markdown, {@code <executor>-conformance.md}, that a third party can publish beside its executor.
 * It gives the executor's name, class and version, the kit's version, the JDK, the date, and for
 * each rule of the specification whether its tests passed, were skipped (with the reason the
 * executor declared, rule 7.2) or failed (with the first line of the message), the rules the kit
 * does not check and why, and totals. The tests of {@link PublisherVerification} (the Reactive
 * Streams TCK, run by the JUnit Platform's TestNG engine) are listed under rule 5.2.
 *
 * <p>The JUnit Platform launcher finds this listener with {@link java.util.ServiceLoader} in the
 * kit's jar, so a build that runs the kit with Maven Surefire, Gradle or an IDE writes the report
 * without any configuration. Where it goes:
 * <ul>
 *   <li>{@value #REPORT}: the directory; by default {@code target/pyper-tck} of the module under
 *       test (the system property {@code basedir} that Surefire sets, or else the working
 *       directory); {@code off} writes no report;</li>
 *   <li>{@value #EXECUTOR_VERSION}: the executor's version, where its classes come from no jar
 *       with an {@code Implementation-Version} (an executor's own build tests its classes before
 *       they are in a jar): set it to {@code ${project.version}} in Surefire's
 *       {@code systemPropertyVariables}.</li>
 * </ul>
 * Both are read as system properties or as configuration parameters of the launcher.
 *
 * <p>A report covers one run of the launcher in one JVM. A run of the launcher started while
 * another runs in the same JVM (a test that runs kit classes through the launcher to check the kit
 * itself) writes no report, unless its request sets {@value #REPORT} to a value of its own.
 */
public final class ConformanceReportListener implements TestExecutionListener {

    /** The system property (or launcher configuration parameter) naming the report's directory, or {@code off}. */
    public static final String REPORT = "pyper.tck.report";

    /** The system property (or launcher configuration parameter) giving the executor's version. */
    public static final String EXECUTOR_VERSION = "pyper.tck.executorVersion";

    /** Launcher runs going on in this JVM. */
    private static final AtomicInteger RUNNING = new AtomicInteger();

    private TestPlan plan;
    /** Where the reports go; null for none. */
    private Path directory;

    private Instant started;
    /** The results of tests, skipped methods and failed containers, in the order they came. */
    private final List<Result> results = new ArrayList<>();

    /** One test's result, or a container's failure. */
    private record Result(TestIdentifier test, ConformanceReport.Status status, String detail) {}

    /** Made by the launcher, through {@link java.util.ServiceLoader}. */
    public ConformanceReportListener() {}

    @Override
    public synchronized void testPlanExecutionStarted(TestPlan testPlan) {
        boolean nested = RUNNING.getAndIncrement() > 0;
        plan = testPlan;
        started = Instant.now();
        results.clear();
        directory = directory(testPlan.getConfigurationParameters(), nested);
    }

    /** The directory from the configuration, null for no report. */
    static Path directory(ConfigurationParameters configuration, boolean nested) {
        Optional<String> configured =
                configuration.get(REPORT).map(String::strip).filter(s -> !s.isEmpty());
        if (nested
                && (configured.isEmpty()
                        || configured
                                .get()
                                .equals(System.getProperty(REPORT, "").strip()))) {
            return null; // a run inside a run: a test of the kit itself, unless it asked for a report of its own
        }
        if (configured.isPresent()) {
            return configured.get().equalsIgnoreCase("off") ? null : Path.of(configured.get());
        }
        String basedir = System.getProperty("basedir");
        return (basedir == null ? Path.of("target") : Path.of(basedir, "target")).resolve("pyper-tck");
    }

    @Override
    public synchronized void executionSkipped(TestIdentifier identifier, String reason) {
        if (directory == null) {
            return;
        }
        if (testLike(identifier)) {
            results.add(new Result(identifier, ConformanceReport.Status.SKIPPED, reason));
            return;
        }
        for (TestIdentifier d : plan.getDescendants(identifier)) {
            if (testLike(d)) {
                results.add(new Result(d, ConformanceReport.Status.SKIPPED, reason));
            }
        }
    }

    @Override
    public synchronized void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
        if (directory == null) {
            return;
        }
        String detail = result.getThrowable().map(ConformanceReport::firstLine).orElse("");
        ConformanceReport.Status status = switch (result.getStatus()) {
            case SUCCESSFUL -> ConformanceReport.Status.PASSED;
            case ABORTED -> ConformanceReport.Status.SKIPPED;
            case FAILED -> ConformanceReport.Status.FAILED;
        };
        if (identifier.isTest() || status != ConformanceReport.Status.PASSED && testLike(identifier)) {
            results.add(new Result(identifier, status, detail));
        } else if (status == ConformanceReport.Status.FAILED) {
            results.add(new Result(identifier, status, detail)); // a container: a test class that could not run
        }
    }

    /** A test, or a method whose tests are made as it runs (a {@link RuleTest} template) and so has none yet. */
    private boolean testLike(TestIdentifier identifier) {
        return identifier.isTest()
                || identifier.getSource().filter(MethodSource.class::isInstance).isPresent()
                        && plan.getChildren(identifier).isEmpty();
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        RUNNING.decrementAndGet();
        List<Path> written;
        synchronized (this) {
            if (directory == null) {
                return;
            }
            written = write();
        }
        for (Path report : written) {
            System.out.println(
                    "[pyper-tck] conformance report: " + report.toAbsolutePath().normalize());
        }
    }

    /** Groups the results by executor and writes one report for each; returns the files. */
    private List<Path> write() {
        Map<String, ConformanceReport.Executor> executors = new LinkedHashMap<>();
        Map<String, List<ConformanceReport.Outcome>> outcomes = new LinkedHashMap<>();
        Map<String, Set<String>> kitRules = new LinkedHashMap<>();
        Map<String, List<String>> otherFailures = new LinkedHashMap<>();
        Set<String> testClassesSeen = new HashSet<>();
        for (Result r : results) {
            String id = r.test().getUniqueId();
            MethodSource method = r.test()
                    .getSource()
                    .filter(MethodSource.class::isInstance)
                    .map(MethodSource.class::cast)
                    .orElse(null);
            ConformanceReport.Executor executor = ConformanceReport.executorOfTestClass(id);
            boolean reactiveStreams = false;
            if (method != null && ConformanceReport.executorOfPublisher(method.getClassName()) != null) {
                executor = ConformanceReport.executorOfPublisher(method.getClassName());
                reactiveStreams = true;
            }
            String rule = reactiveStreams ? ConformanceReport.REACTIVE_STREAMS : method == null ? null : rule(method);
            if (executor == null || (rule == null && method != null)) {
                continue; // not a test of the kit, or of an executor that never started
            }
            String key = executor.key();
            executors.putIfAbsent(key, executor);
            if (rule == null) {
                otherFailures
                        .computeIfAbsent(key, k -> new ArrayList<>())
                        .add("`" + r.test().getDisplayName() + "`: " + ConformanceReport.cell(r.detail()));
                continue;
            }
            outcomes.computeIfAbsent(key, k -> new ArrayList<>())
                    .add(new ConformanceReport.Outcome(
                            rule, reactiveStreams, method.getMethodName(), r.status(), r.detail()));
            String testClass = ConformanceReport.testClassId(id);
            if (!reactiveStreams && testClassesSeen.add(key + "\n" + testClass)) {
                kitRules.computeIfAbsent(key, k -> new TreeSet<>()).addAll(rulesOf(testClass));
            }
        }
        Map<String, Integer> names = new LinkedHashMap<>();
        executors.values().forEach(e -> names.merge(e.name(), 1, Integer::sum));
        List<UncheckedRules.Row> unchecked = UncheckedRules.rows();
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, ConformanceReport.Executor> e : executors.entrySet()) {
            String key = e.getKey();
            if (!outcomes.containsKey(key)) {
                continue; // only failures outside the rules: the class could not start; its own report says so
            }
            ConformanceReport report = new ConformanceReport(
                    e.getValue(),
                    outcomes.get(key),
                    kitRules.getOrDefault(key, Set.of()),
                    otherFailures.getOrDefault(key, List.of()),
                    unchecked,
                    started);
            Path file = directory.resolve(ConformanceReport.fileName(
                    e.getValue(), names.get(e.getValue().name()) > 1));
            try {
                Files.createDirectories(directory);
                Files.writeString(file, report.markdown(), StandardCharsets.UTF_8);
                written.add(file);
            } catch (IOException | RuntimeException ex) {
                System.err.println("[pyper-tck] could not write the conformance report " + file + ": " + ex);
            }
        }
        return written;
    }

    /** The rule of a test method of the kit, from its {@link RuleTest}; null for any other test. */
    private static String rule(MethodSource source) {
        try {
            Method method = source.getJavaMethod();
            RuleTest rule = method.getAnnotation(RuleTest.class);
            return rule == null ? null : rule.value();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** The rules of every {@link RuleTest} of a test class of the kit and its {@link Nested} classes. */
    private Set<String> rulesOf(String testClassId) {
        Set<String> rules = new TreeSet<>();
        TestIdentifier testClass;
        try {
            testClass = plan.getTestIdentifier(UniqueId.parse(testClassId));
        } catch (RuntimeException e) {
            return rules;
        }
        Optional<TestSource> source = testClass.getSource();
        if (source.isEmpty() || !(source.get() instanceof ClassSource classSource)) {
            return rules;
        }
        Deque<Class<?>> classes = new ArrayDeque<>();
        try {
            classes.add(classSource.getJavaClass());
        } catch (RuntimeException | LinkageError e) {
            return rules;
        }
        Set<Class<?>> seen = new HashSet<>();
        while (!classes.isEmpty()) {
            for (Class<?> c = classes.poll(); c != null && c != Object.class && seen.add(c); c = c.getSuperclass()) {
                for (Method m : c.getDeclaredMethods()) {
                    RuleTest rule = m.getAnnotation(RuleTest.class);
                    if (rule != null) {
                        rules.add(rule.value());
                    }
                }
                for (Class<?> member : c.getDeclaredClasses()) {
                    if (member.isAnnotationPresent(Nested.class)) {
                        classes.add(member);
                    }
                }
            }
        }
        return rules;
    }
}
