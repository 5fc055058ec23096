package dev.pyper.threads.broken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The kit's strength: each deliberately broken executor fails the kit on the rule it breaks, and
 * the real executor passes the same tests.
 */
class BrokenExecutorsTest {

    @AfterAll
    static void releaseLeakedThreads() {
        Mutations.LeaksAThread.RELEASE.countDown();
    }

    @ParameterizedTest(name = "{0} fails rule {1}")
    @CsvSource({
        "IgnoresThrottle, 2.6",
        "DropsTheLastItem, 2.3",
        "DropsTheLastItem, 3.1",
        "ReordersOneWorkerStage, 3.1",
        "SwallowsErrors, 4.1",
        "LeaksAThread, 4.5",
        "ThrottlePlusOne, 2.6",
        "IgnoresClose, 4.5",
    })
    void theKitCatchesTheBrokenExecutorOnItsRule(String broken, String rule) throws Exception {
        Class<?> kit = Class.forName(BrokenKits.class.getName() + "$" + broken);
        Set<String> failedInBroken = failures(kit, rule);
        assertFalse(failedInBroken.isEmpty(), broken + " passed every test of rule " + rule + ": the kit is too weak");
        Set<String> failedInControl = failures(BrokenKits.Control.class, rule);
        assertEquals(Set.of(), failedInControl, "the real executor must pass the same tests");
    }

    /**
     * A broken executor that the kit must catch on every repetition of one test, not by luck:
     * {@code -Dtck.repeat=20} runs it 20 times, and all 20 must fail, while all 20 pass on the
     * real executor.
     */
    @ParameterizedTest(name = "{0} fails {1} every time")
    @CsvSource({
        "ThrottlePlusOne, rule_2_6_throttlePausesTheProducerWhenTheNextTaskIsBlocked",
    })
    void theKitCatchesTheBrokenExecutorEveryTime(String broken, String test) throws Exception {
        Class<?> kit = Class.forName(BrokenKits.class.getName() + "$" + broken);
        List<String> inBroken = outcomes(kit, test::equals);
        List<String> inControl = outcomes(BrokenKits.Control.class, test::equals);
        int repeat = dev.pyper.tck.Tck.repeat();
        assertEquals(repeat, inBroken.size(), () -> "every repetition of " + test + " must run: " + inBroken);
        assertEquals(List.of(), inBroken.stream().filter(r -> !r.endsWith(" FAILED")).toList(),
                broken + " must fail every repetition of " + test);
        assertEquals(repeat, inControl.size(), () -> "every repetition of " + test + " must run: " + inControl);
        assertEquals(List.of(), inControl.stream().filter(r -> !r.endsWith(" SUCCESSFUL")).toList(),
                "the real executor must pass every repetition of " + test);
    }

    /** Runs the kit's tests of one rule against a kit class; returns the names of those that failed. */
    private static Set<String> failures(Class<?> kit, String rule) {
        String prefix = "rule_" + rule.replace('.', '_') + "_";
        List<String> ran = outcomes(kit, name -> name.startsWith(prefix));
        assertTrue(ran.stream().anyMatch(n -> n.startsWith(prefix)),
                "no test of rule " + rule + " ran for " + kit.getSimpleName());
        Set<String> failed = new TreeSet<>();
        ran.stream().filter(r -> r.endsWith(" FAILED")).forEach(r -> failed.add(r.substring(0, r.indexOf(' '))));
        return failed;
    }

    /** Runs the kit's tests whose method names {@code select} accepts; returns "name STATUS" per invocation that ran. */
    private static List<String> outcomes(Class<?> kit, Predicate<String> select) {
        PostDiscoveryFilter onlyThese = descriptor -> descriptor.getSource()
                .filter(MethodSource.class::isInstance)
                .map(source -> FilterResult.includedIf(select.test(((MethodSource) source).getMethodName())))
                .orElse(FilterResult.included("a container"));
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(kit))
                .filters(onlyThese)
                .build();
        List<String> ran = new ArrayList<>();
        LauncherFactory.create().execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (test.isTest()) {
                    String name = test.getSource().filter(MethodSource.class::isInstance)
                            .map(s -> ((MethodSource) s).getMethodName()).orElse(test.getDisplayName());
                    ran.add(name + " " + result.getStatus());
                }
            }
        });
        return ran;
    }
}
