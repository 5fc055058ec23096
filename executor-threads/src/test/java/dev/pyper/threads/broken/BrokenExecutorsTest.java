package dev.pyper.threads.broken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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
    })
    void theKitCatchesTheBrokenExecutorOnItsRule(String broken, String rule) throws Exception {
        Class<?> kit = Class.forName(BrokenKits.class.getName() + "$" + broken);
        Set<String> failedInBroken = failures(kit, rule);
        assertFalse(failedInBroken.isEmpty(), broken + " passed every test of rule " + rule + ": the kit is too weak");
        Set<String> failedInControl = failures(BrokenKits.Control.class, rule);
        assertEquals(Set.of(), failedInControl, "the real executor must pass the same tests");
    }

    /** Runs the kit's tests of one rule against a kit class; returns the names of those that failed. */
    private static Set<String> failures(Class<?> kit, String rule) {
        String prefix = "rule_" + rule.replace('.', '_') + "_";
        PostDiscoveryFilter onlyThisRule = descriptor -> descriptor.getSource()
                .filter(MethodSource.class::isInstance)
                .map(source -> FilterResult.includedIf(((MethodSource) source).getMethodName().startsWith(prefix)))
                .orElse(FilterResult.included("a container"));
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(kit))
                .filters(onlyThisRule)
                .build();
        Set<String> failed = new TreeSet<>();
        List<String> ran = new ArrayList<>();
        LauncherFactory.create().execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (test.isTest()) {
                    String name = test.getSource().filter(MethodSource.class::isInstance)
                            .map(s -> ((MethodSource) s).getMethodName()).orElse(test.getDisplayName());
                    ran.add(name);
                    if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                        failed.add(name);
                    }
                }
            }
        });
        assertTrue(ran.stream().anyMatch(n -> n.startsWith(prefix)), "no test of rule " + rule + " ran for " + kit.getSimpleName());
        return failed;
    }
}
