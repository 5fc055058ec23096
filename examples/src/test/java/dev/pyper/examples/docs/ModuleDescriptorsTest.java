package dev.pyper.examples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module descriptors export what users and executors are meant to use, and nothing of the
 * engine to users (rule 0): read from the built modules on this test's class path.
 */
class ModuleDescriptorsTest {

    @Test
    void theApiExportsItsThreePackagesAndTheEngineOnlyToExecutors() throws Exception {
        ModuleDescriptor api = descriptorOf(dev.pyper.Pipeline.class);
        assertEquals("dev.pyper.api", api.name());
        assertEquals(
                Map.of("dev.pyper", Set.of(), "dev.pyper.function", Set.of(), "dev.pyper.spi", Set.of()), exports(api));
        assertTrue(
                api.requires().stream().allMatch(r -> r.name().equals("java.base")),
                "api has no dependencies: " + api.requires());

        ModuleDescriptor engine = descriptorOf(Class.forName("dev.pyper.engine.Engine"));
        assertEquals("dev.pyper.engine", engine.name());
        assertEquals(
                Map.of(
                        "dev.pyper.engine",
                        Set.of(
                                "dev.pyper.executor.threads",
                                "dev.pyper.executor.virtual",
                                "dev.pyper.executor.process",
                                "dev.pyper.executor.flink")),
                exports(engine),
                "the engine's package is exported to the executor modules only, never to users");
    }

    @Test
    void eachExecutorExportsItsOwnPackageAndProvidesItself() throws Exception {
        Map<String, String> executors = Map.of(
                "dev.pyper.threads.ThreadExecutor", "dev.pyper.executor.threads",
                "dev.pyper.virtual.VirtualThreadExecutor", "dev.pyper.executor.virtual",
                "dev.pyper.process.ProcessExecutor", "dev.pyper.executor.process");
        for (Map.Entry<String, String> e : executors.entrySet()) {
            Class<?> type = Class.forName(e.getKey());
            ModuleDescriptor module = descriptorOf(type);
            assertEquals(e.getValue(), module.name());
            assertEquals(Map.of(type.getPackageName(), Set.of()), exports(module));
            assertTrue(
                    module.provides().stream().anyMatch(p -> p.service().equals("dev.pyper.spi.ExecutorProvider")),
                    module.name() + " provides an ExecutorProvider");
        }
    }

    private static Map<String, Set<String>> exports(ModuleDescriptor module) {
        return module.exports().stream()
                .collect(Collectors.toMap(
                        ModuleDescriptor.Exports::source,
                        ModuleDescriptor.Exports::targets,
                        (a, b) -> a,
                        TreeMap::new));
    }

    /** The descriptor of the module (a jar or a classes folder) that holds {@code type}. */
    private static ModuleDescriptor descriptorOf(Class<?> type) throws URISyntaxException {
        Path location =
                Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        return ModuleFinder.of(location).findAll().stream()
                .map(ModuleReference::descriptor)
                .findFirst()
                .filter(d -> !d.isAutomatic())
                .orElseThrow(() -> new AssertionError(location + " has no module descriptor"));
    }
}
