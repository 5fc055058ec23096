package dev.pyper.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.tck.ConformanceReport.Executor;
import dev.pyper.tck.ConformanceReport.Outcome;
import dev.pyper.tck.ConformanceReport.Status;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The conformance report's page: each rule passed, skipped with the executor's declared reason, or
 * failed with the first line of the message; rules of the kit that did not run; what the kit does
 * not check; totals and the verdict. (executor-threads' ConformanceReportTest writes one through
 * the launcher.)
 */
class ConformanceReportTest {

    private static final Executor EXECUTOR =
            new Executor("toy", "com.example.ToyExecutor", "1.2.3", Map.of("2.6", "no bounded buffers | yet"));

    private static final Outcome PASSED_1_1 = new Outcome("1.1", false, "rule_1_1_a", Status.PASSED, "");

    @Test
    void eachRuleShowsWhatItsTestsCameTo() {
        String page = new ConformanceReport(
                        EXECUTOR,
                        List.of(
                                new Outcome("1.1", false, "rule_1_1_a", Status.PASSED, ""),
                                new Outcome(
                                        "2.6",
                                        false,
                                        "rule_2_6_a",
                                        Status.SKIPPED,
                                        "Rule 2.6 is declared unsupported by executor 'toy': …"),
                                new Outcome(
                                        "2.6",
                                        false,
                                        "rule_2_6_b",
                                        Status.SKIPPED,
                                        "Rule 2.6 is declared unsupported by executor 'toy': …"),
                                new Outcome("2.9", false, "rule_2_9_a", Status.PASSED, ""),
                                new Outcome("2.9", false, "rule_2_9_b", Status.SKIPPED, "light mode"),
                                new Outcome("2.8", false, "rule_2_8_a", Status.PASSED, ""),
                                new Outcome(
                                        "2.8",
                                        false,
                                        "rule_2_8_b",
                                        Status.FAILED,
                                        "executor 'toy' should be registered ==> expected: <true>"),
                                new Outcome("5.2", true, "required_spec101", Status.PASSED, ""),
                                new Outcome("5.2", true, "optional_spec104", Status.SKIPPED, "not implemented")),
                        Set.of("1.1", "2.6", "2.8", "2.9", "3.1"),
                        List.of(),
                        UncheckedRules.rows(),
                        Instant.parse("2026-01-02T03:04:05Z"))
                .markdown();

        assertTrue(page.startsWith("# Conformance report: executor `toy`\n"), page);
        assertTrue(page.contains("| executor | `toy` (`com.example.ToyExecutor`) |\n"), page);
        assertTrue(page.contains("| version | 1.2.3 |\n"), page);
        assertTrue(page.contains("| date | 2026-01-02 03:04 UTC |\n"), page);
        assertTrue(page.contains("| JDK | " + System.getProperty("java.runtime.version")), page);
        assertTrue(page.contains("| result | **failed**: 3 rules passed, 1 skipped, 1 failed, 1 not run; "), page);
        assertTrue(page.contains("| tests | 9: 4 passed, 4 skipped, 1 failed |\n"), page);
        assertTrue(page.contains("| 1.1 | passed | 1 | |\n"), page);
        assertTrue(page.contains("| 2.6 | skipped | 2 | declared unsupported: no bounded buffers \\| yet |\n"), page);
        assertTrue(
                page.contains("| 2.8 | **failed** | 1 of 2 failed | `rule_2_8_b`: executor 'toy' should be registered"
                        + " ==> expected: <true> |\n"),
                page);
        assertTrue(page.contains("| 2.9 | passed, 1 of 2 skipped | 2 | light mode |\n"), page);
        assertTrue(page.contains("| 3.1 | not run | 0 |"), page);
        assertTrue(page.contains("| 5.2 | passed | 2 (Reactive Streams TCK) | 1 skipped by that TCK"), page);
        assertTrue(page.contains("| 7.1 | not checked | — | a statement about the project's build"), page);
        assertTrue(page.contains("- 4.5: file handles and memory\n"), page);
        assertFalse(page.contains("- 5.2: the Reactive Streams TCK"), "the Reactive Streams TCK ran: " + page);
        assertTrue(
                page.indexOf("| 2.8 ") < page.indexOf("| 2.9 ") && page.indexOf("| 2.9 ") < page.indexOf("| 3.1 "),
                "rules in the specification's order: " + page);
    }

    @Test
    void aReportWithEveryRulePassedOrDeclaredPasses() {
        ConformanceReport report = new ConformanceReport(
                EXECUTOR,
                List.of(
                        new Outcome("1.1", false, "rule_1_1_a", Status.PASSED, ""),
                        new Outcome("2.6", false, "rule_2_6_a", Status.SKIPPED, "declared")),
                Set.of("1.1", "2.6"),
                List.of(),
                List.of(),
                Instant.now());
        assertEquals("passed", report.verdict());
        assertTrue(
                report.markdown()
                        .contains(
                                "| result | **passed**: 1 rules passed, 1 skipped, 0 failed; 0 not checked by the kit |"),
                report.markdown());
    }

    @Test
    void aRuleOfTheKitThatDidNotRunMakesTheReportIncomplete() {
        ConformanceReport report = new ConformanceReport(
                EXECUTOR, List.of(PASSED_1_1), Set.of("1.1", "1.2"), List.of(), List.of(), Instant.now());
        assertEquals("incomplete", report.verdict());
    }

    @Test
    void aFailureOutsideTheRulesFailsTheReport() {
        ConformanceReport report = new ConformanceReport(
                EXECUTOR,
                List.of(PASSED_1_1),
                Set.of("1.1"),
                List.of("`MyTckTest`: the cluster did not start"),
                List.of(),
                Instant.now());
        assertEquals("failed", report.verdict());
        assertTrue(report.markdown().contains("- `MyTckTest`: the cluster did not start\n"));
    }

    @Test
    void fileNamesAndTestClasses() {
        assertEquals("toy-conformance.md", ConformanceReport.fileName(EXECUTOR, false));
        assertEquals("toy-ToyExecutor-conformance.md", ConformanceReport.fileName(EXECUTOR, true));
        assertEquals(
                "[engine:junit-jupiter]/[class:a.B]",
                ConformanceReport.testClassId(
                        "[engine:junit-jupiter]/[class:a.B]/[nested-class:C]/[test-template:rule_1_1_x()]"));
        assertEquals("a", ConformanceReport.cell("a\nb").substring(0, 1));
        assertEquals("a b \\| c", ConformanceReport.cell("a\nb | c"));
        assertEquals("java.lang.IllegalStateException", ConformanceReport.firstLine(new IllegalStateException()));
        assertEquals("first", ConformanceReport.firstLine(new IllegalStateException("first\nsecond")));
        assertTrue(ConformanceReport.RULE_ORDER.compare("1.2", "1.10") < 0);
        assertFalse(ConformanceReport.kitVersion().isBlank());
    }
}
