package dev.pyper.threads;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.pyper.PipelineExecutor;
import dev.pyper.spi.Plan;
import dev.pyper.spi.Run;
import dev.pyper.tck.ConformanceReportListener;
import dev.pyper.tck.PipelineExecutorVerification;
import dev.pyper.tck.Tck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The conformance report as a third party gets it: a run of the kit through the JUnit Platform
 * launcher, which finds the kit's {@link ConformanceReportListener} by itself, writes one page per
 * executor, with each rule passed, skipped with the reason that the executor declared (rule 7.2),
 * or failed with the first line of the message.
 */
class ConformanceReportTest {

    /** Rule 1.1 passes, rule 2.6 is declared unsupported, rule 2.8 fails: the executor is registered under another name. */
    private static final List<String> RULES = List.of("rule_1_1_", "rule_2_6_", "rule_2_8_");

    @TempDir
    Path reports;

    @Test
    void aRunOfTheKitWritesItsReport() throws IOException {
        run(LauncherDiscoveryRequestBuilder.request()
                .configurationParameter(ConformanceReportListener.REPORT, reports.toString()));

        Path file = reports.resolve("renamed-conformance.md");
        assertTrue(Files.isRegularFile(file), () -> "no report in " + reports);
        String page = Files.readString(file);
        assertContains(page, "# Conformance report: executor `renamed`\n");
        assertContains(page, "| executor | `renamed` (`" + Renamed.class.getName() + "`) |\n");
        assertContains(
                page,
                "| version | " + System.getProperty(ConformanceReportListener.EXECUTOR_VERSION, "unknown") + " |\n");
        assertContains(page, "| JDK | " + System.getProperty("java.runtime.version"));
        assertContains(page, "| result | **failed**: 1 rules passed, 1 skipped, 1 failed, ");
        int n = Tck.repeat(); // each test runs n times
        assertContains(page, "| 1.1 | passed | " + n + " | |\n");
        assertContains(page, "| 2.6 | skipped | " + 2 * n + " | declared unsupported: " + Renamed.REASON + " |\n");
        assertContains(
                page,
                "| 2.8 | **failed** | " + n + " of " + n + " failed |"
                        + " `rule_2_8_theExecutorIsFoundByNameAndBoundWithOn`: executor 'renamed' should be registered for ServiceLoader");
        assertContains(page, "| 1.2 | not run | 0 |");
        assertContains(page, "| 7.1 | not checked | — |");
    }

    @Test
    void aRunInsideAnotherWritesNoReportUnlessItAsksForOne() {
        Path defaultDirectory = Path.of(System.getProperty("basedir", "."), "target", "pyper-tck");
        Path report = defaultDirectory.resolve("renamed-conformance.md");
        assertFalse(Files.exists(report), "left by an earlier build? " + report);
        run(LauncherDiscoveryRequestBuilder.request());
        assertFalse(Files.exists(report), "a run of the kit inside the build's own run wrote " + report);
    }

    private static void run(LauncherDiscoveryRequestBuilder request) {
        PostDiscoveryFilter someRules = descriptor -> descriptor
                .getSource()
                .filter(MethodSource.class::isInstance)
                .map(source -> ((MethodSource) source).getMethodName())
                .map(method -> FilterResult.includedIf(RULES.stream().anyMatch(method::startsWith)))
                .orElse(FilterResult.included("a container"));
        LauncherDiscoveryRequest built = request.selectors(selectClass(RenamedKit.class))
                .filters(someRules)
                .build();
        LauncherFactory.create().execute(built);
    }

    private static void assertContains(String page, String expected) {
        assertTrue(page.contains(expected), () -> "expected\n  " + expected + "\nin the report:\n" + page);
    }

    /** The kit against {@link Renamed}; not a test of its own (its name does not end in "Test"). */
    static class RenamedKit extends PipelineExecutorVerification {
        @Override
        protected PipelineExecutor createExecutor() {
            return new Renamed();
        }
    }

    /** The threads executor under a name that no provider registers, with throttle declared unsupported. */
    static final class Renamed implements PipelineExecutor {
        static final String REASON = "declared for the report's test";
        private final ThreadExecutor real = new ThreadExecutor();

        @Override
        public String name() {
            return "renamed";
        }

        @Override
        public <O> Run<O> start(Plan plan, Object input) {
            return real.start(plan, input);
        }

        @Override
        public Map<String, String> unsupportedRules() {
            return Map.of("2.6", REASON);
        }

        @Override
        public void close() {
            real.close();
        }
    }
}
