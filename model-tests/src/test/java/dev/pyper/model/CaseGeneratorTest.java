package dev.pyper.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Task;
import dev.pyper.threads.ThreadExecutor;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The generator itself: a seed replays its case exactly, and a few thousand cases cover every
 * kind of task, option, fault and consumer that issue 7 asks for, within the rules that the API
 * enforces (rules 1.4, 3.4).
 */
class CaseGeneratorTest {

    private static final Capabilities ALL = new Capabilities(false, true);

    @Test
    void theSameSeedMakesTheSameCase() {
        long seed = 42;
        for (int i = 0; i < 200; i++) {
            assertEquals(
                    CaseGenerator.generate(seed, ALL).describe(),
                    CaseGenerator.generate(seed, ALL).describe());
            seed = CaseGenerator.nextSeed(seed);
        }
    }

    @Test
    void casesCoverEveryKindOptionFaultAndConsumer() {
        Set<String> functions = new TreeSet<>();
        Set<Integer> workers = new TreeSet<>();
        Set<Integer> throttles = new TreeSet<>();
        Set<Fault.Type> faultTypes = EnumSet.noneOf(Fault.Type.class);
        Set<ModelCase.Consumer> consumers = EnumSet.noneOf(ModelCase.Consumer.class);
        Set<Boolean> orderPromised = new HashSet<>();
        int ordered = 0;
        int nestedFaults = 0;
        Set<String> flakyKinds = new TreeSet<>();
        int asyncFlaky = 0;
        Set<Flaky.How> hows = EnumSet.noneOf(Flaky.How.class);
        long seed = 7;
        ThreadExecutor executor = new ThreadExecutor();
        for (int i = 0; i < 3000; i++) {
            ModelCase c = CaseGenerator.generate(seed, ALL);
            seed = CaseGenerator.nextSeed(seed);
            consumers.add(c.consumer());
            orderPromised.add(c.expected().ordered());
            nestedFaults += c.faults().containsValue(1) ? 1 : 0;
            StageShape producer = c.stages().get(0);
            assertEquals(1, producer.workers(), "rule 1.4: the producer has one worker");
            assertTrue(
                    !(producer.function() instanceof JoinFunctions.Fold
                            || producer.function() instanceof JoinFunctions.Drain
                            || producer.function() instanceof JoinFunctions.EachElement
                            || producer.function() instanceof JoinFunctions.Running
                            || producer.function() instanceof JoinFunctions.Head),
                    "rule 1.4: the producer is not a join");
            for (StageShape stage : all(c.stages())) {
                functions.add(name(stage.function()));
                workers.add(stage.workers());
                if (!(stage.function() instanceof ListFunctions.Batch)) {
                    throttles.add(stage.throttle()); // a batch's throttle counts inputs, in whole lists (rule 10.7)
                }
                ordered += stage.ordered() ? 1 : 0;
                if (stage.function() instanceof StageFunction.PerInput p
                        && p.site().fault() != null) {
                    faultTypes.add(p.site().fault().type());
                }
                Flaky flaky = stage.flaky();
                if (flaky != null) {
                    flakyKinds.add(flaky.mode() + "-" + flaky.handling() + (flaky.retries() > 0 ? "-retry" : ""));
                    hows.add(flaky.how());
                    assertTrue(
                            flaky.mode() == Flaky.Mode.PERMANENT || flaky.failures() <= flaky.retries(),
                            "a transient fault recovers");
                    asyncFlaky += stage.function() instanceof PerInputFunctions.Async
                                    || stage.function() instanceof PerInputFunctions.AsyncBranch
                            ? 1
                            : 0;
                    assertTrue(
                            site(stage).fault() == null || site(stage).fault().type() == Fault.Type.ERROR,
                            "a fault beside a flaky function is an Error, which is never retried nor skipped");
                }
                stage.task(executor); // the API accepts every generated combination of options (rules 1.3, 3.4)
            }
        }
        executor.close();
        assertEquals(
                new TreeSet<>(List.of(
                        "AsyncBranch",
                        "Async",
                        "Branch",
                        "Drain",
                        "EachElement",
                        "Fold",
                        "Generate",
                        "Nested-branch",
                        "Nested-task",
                        "Plain",
                        "Running",
                        "Head",
                        "list-Batch",
                        "list-Flatten",
                        "list-Each",
                        "list-MapList",
                        "list-Fold",
                        "list-AsyncEach")),
                functions);
        assertEquals(new TreeSet<>(List.of(1, 2, 3, 4, 5, 6, 7, 8)), workers);
        assertEquals(new TreeSet<>(List.of(0, 1, 2, 3, 4)), throttles);
        assertEquals(EnumSet.allOf(Fault.Type.class), faultTypes);
        assertEquals(EnumSet.allOf(ModelCase.Consumer.class), consumers);
        assertEquals(Set.of(true, false), orderPromised);
        assertTrue(ordered > 100, "ordered() is set often enough: " + ordered);
        assertTrue(nestedFaults > 0, "some faults fire inside nested pipelines");
        assertTrue(asyncFlaky > 0, "rule 9.8: async tasks get section 9's options too");
        assertEquals(
                EnumSet.allOf(Flaky.How.class),
                hows,
                "attempts that throw, hang, hang deaf and end their JVM (rules 9.2, 9.4)");
        assertEquals(
                new TreeSet<>(List.of(
                        "PERMANENT-DEAD_LETTER",
                        "PERMANENT-DEAD_LETTER-retry",
                        "PERMANENT-FAIL-retry",
                        "PERMANENT-SKIP",
                        "PERMANENT-SKIP-retry",
                        "TRANSIENT-DEAD_LETTER-retry",
                        "TRANSIENT-FAIL-retry",
                        "TRANSIENT-SKIP-retry")),
                flakyKinds);
    }

    /**
     * Section 10: the generator makes batches, the tasks that take their lists and rates only as
     * the API takes them (rules 10.2, 10.9: no batch first, none with workers, multiprocess(), a
     * section 9 option or a rate; a batch's throttle 0 or at least its size; no rate on a join);
     * every list edge ends in items; a task whose failures concern whole lists, or that folds a
     * list, comes only where the model knows the lists. And it covers what issue 22 asks for.
     */
    @Test
    void batchesAndRatesKeepToTheRulesOfSection10() {
        Capabilities capabilities = new Capabilities(true, true);
        Set<String> maxWaits = new TreeSet<>();
        Set<String> takers = new TreeSet<>();
        Set<String> paced = new TreeSet<>();
        Set<Integer> sizes = new TreeSet<>();
        Set<Integer> bursts = new TreeSet<>();
        Set<String> combinations = new TreeSet<>();
        int cases = 0;
        int withBatch = 0;
        int withRate = 0;
        long seed = 11;
        ThreadExecutor executor = new ThreadExecutor();
        for (int i = 0; i < 3000; i++) {
            ModelCase c = CaseGenerator.generate(seed, capabilities);
            seed = CaseGenerator.nextSeed(seed);
            cases++;
            withBatch += all(c.stages()).stream().anyMatch(s -> s.function() instanceof ListFunctions.Batch) ? 1 : 0;
            withRate += all(c.stages()).stream().anyMatch(s -> s.rate() != null) ? 1 : 0;
            checkSection10(c.stages(), 0, maxWaits, takers, paced, sizes, bursts, combinations);
            StageShape.pipeline(c.stages(), executor); // the whole pipeline is built as the API takes it
        }
        executor.close();
        assertEquals(
                Set.of("none", "long", "short"),
                maxWaits,
                "batches without maxWait, with one that never passes, with a short one");
        assertEquals(Set.of(1, 2, 3, 4, 5), sizes);
        assertEquals(
                new TreeSet<>(List.of("list-AsyncEach", "list-Each", "list-Flatten", "list-Fold", "list-MapList")),
                takers,
                "flatten(), a branch and an async branch over each list, a plain task mapping lists, one folding them");
        assertEquals(
                new TreeSet<>(List.of(
                        "AsyncBranch",
                        "Async",
                        "Branch",
                        "Generate",
                        "Nested-branch",
                        "Nested-task",
                        "Plain",
                        "list-AsyncEach",
                        "list-Each",
                        "list-Flatten",
                        "list-Fold",
                        "list-MapList")),
                paced,
                "a rate on every kind of task that rule 10.2 allows");
        assertEquals(Set.of(1, 2, 3, 4, 5, 6, 7, 8), bursts);
        assertEquals(
                new TreeSet<>(List.of(
                        "batch in a nested pipeline",
                        "batch ordered()",
                        "batch throttled",
                        "flaky list task",
                        "flaky list task skips or dead-letters",
                        "list task multiprocess()",
                        "list task with workers",
                        "rate and flaky",
                        "rate and multiprocess()",
                        "rate and ordered()",
                        "rate in a nested pipeline")),
                combinations);
        assertTrue(withBatch * 100 >= 15 * cases, "a batch in at least 15% of the cases: " + withBatch);
        assertTrue(withRate * 100 >= 25 * cases, "a rate in at least 25% of the cases: " + withRate);
        // the rules the generator keeps to are the API's: what it never makes is refused
        assertThrows(IllegalArgumentException.class, () -> Task.batch(3, Task.workers(2)));
        assertThrows(IllegalArgumentException.class, () -> Task.batch(3, Task.multiprocess()));
        assertThrows(IllegalArgumentException.class, () -> Task.batch(3, Task.retry(1)));
        assertThrows(IllegalArgumentException.class, () -> Task.batch(3, Task.skipFailures()));
        assertThrows(IllegalArgumentException.class, () -> Task.batch(3, Task.rate(10)));
        assertThrows(IllegalArgumentException.class, () -> Task.batch(3, Task.throttle(2)));
        assertThrows(IllegalArgumentException.class, () -> Task.join((Stream<Integer> in) -> 0, Task.rate(10)));
        try (ThreadExecutor threads = new ThreadExecutor()) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> Task.<Integer>batch(2).on(threads).toList(1),
                    "rule 10.9: a batch is not the first task");
        }
    }

    /**
     * Section 10, rules 10.10 to 10.13: the generator gives {@code byKey} to about
     * {@value CaseGenerator#KEY_PERCENT}% of the stages that rule 10.12 lets have a key, never to a
     * join, an async task nor a batch, with every shape of key and beside every other option; the
     * top-level keyed tasks with a function of ours watch their turns, in input order where the
     * model knows it. The API refuses what the generator never makes (rule 10.12).
     */
    @Test
    void keysKeepToRule10_12() {
        Capabilities capabilities = new Capabilities(true, true);
        int eligible = 0;
        int keyedStages = 0;
        int cases = 0;
        int withKey = 0;
        Set<String> kinds = new TreeSet<>();
        Set<KeyOf.Shape> shapes = EnumSet.noneOf(KeyOf.Shape.class);
        Set<String> combinations = new TreeSet<>();
        long seed = 22;
        ThreadExecutor executor = new ThreadExecutor();
        for (int i = 0; i < 3000; i++) {
            ModelCase c = CaseGenerator.generate(seed, capabilities);
            seed = CaseGenerator.nextSeed(seed);
            cases++;
            withKey += all(c.stages()).stream().anyMatch(s -> s.key() != null) ? 1 : 0;
            if (new KeyCheck(c).checksOutputs()) {
                combinations.add("outputs checked per key");
            }
            for (int k = 0; k < c.stages().size(); k++) {
                StageShape stage = c.stages().get(k);
                if (stage.key() != null) {
                    if (k == 0) {
                        combinations.add("key on the producer");
                    }
                    KeyWatch watch = stage.keyWatch();
                    if (watch != null) {
                        assertEquals(stage.key(), watch.key(), "the watch keys as the task does: " + stage);
                        combinations.add(watch.order() == null ? "watched" : "watched in input order");
                    }
                }
            }
            for (StageShape stage : all(c.stages())) {
                StageFunction f = stage.function();
                boolean refused = isJoin(f)
                        || f instanceof PerInputFunctions.Async
                        || f instanceof PerInputFunctions.AsyncBranch
                        || f instanceof ListFunctions.AsyncEach
                        || f instanceof ListFunctions.Batch;
                eligible += refused ? 0 : 1;
                if (stage.key() == null) {
                    assertTrue(stage.keyWatch() == null, "a watch only on a keyed task: " + stage);
                    continue;
                }
                assertTrue(!refused, "rule 10.12: no key on a join, an async task nor a batch: " + stage);
                keyedStages++;
                kinds.add(name(f));
                shapes.add(stage.key().shape());
                if (stage.multiprocess()) {
                    combinations.add("key and multiprocess()");
                }
                if (stage.rate() != null) {
                    combinations.add("key and rate");
                }
                if (stage.flaky() != null) {
                    combinations.add(
                            "key and " + stage.flaky().handling().name().toLowerCase(java.util.Locale.ROOT)
                                    + (stage.flaky().retries() > 0 ? " and retry" : ""));
                    if (stage.flaky().how() != Flaky.How.THROWS) {
                        combinations.add("key and an attempt that hangs or ends its JVM");
                    }
                }
                if (stage.workers() > 1) {
                    combinations.add(stage.ordered() ? "key, workers and ordered()" : "key and workers");
                }
                if (stage.throttle() > 0) {
                    combinations.add("key and throttle");
                }
                if (site(stage) != null && site(stage).stage() < 0) {
                    combinations.add("key in a nested pipeline");
                }
            }
            StageShape.pipeline(c.stages(), executor); // the whole pipeline is built as the API takes it
        }
        executor.close();
        System.out.println("byKey: " + keyedStages + " of " + eligible + " stages that may have a key, in " + withKey
                + " of " + cases + " cases; shapes " + shapes + "; " + combinations);
        assertTrue(
                keyedStages * 100 >= 10 * eligible && keyedStages * 100 <= 15 * eligible,
                "byKey on 10 to 15% of the stages that may have it: " + keyedStages + " of " + eligible);
        assertTrue(withKey * 100 >= 20 * cases, "a key in at least 20% of the cases: " + withKey);
        assertEquals(EnumSet.allOf(KeyOf.Shape.class), shapes);
        assertEquals(
                new TreeSet<>(List.of(
                        "Branch",
                        "Generate",
                        "Nested-branch",
                        "Nested-task",
                        "Plain",
                        "list-Each",
                        "list-Flatten",
                        "list-Fold",
                        "list-MapList")),
                kinds,
                "a key on every kind of task that rule 10.12 allows");
        assertEquals(
                new TreeSet<>(List.of(
                        "key and an attempt that hangs or ends its JVM",
                        "key and dead_letter",
                        "key and dead_letter and retry",
                        "key and fail and retry",
                        "key and multiprocess()",
                        "key and rate",
                        "key and skip",
                        "key and skip and retry",
                        "key and throttle",
                        "key and workers",
                        "key in a nested pipeline",
                        "key on the producer",
                        "key, workers and ordered()",
                        "outputs checked per key",
                        "watched",
                        "watched in input order")),
                combinations);
        // the rules the generator keeps to are the API's: what it never makes is refused (rule 10.12)
        KeyOf key = new KeyOf(KeyOf.Shape.FEW);
        assertThrows(IllegalArgumentException.class, () -> Task.byKey(null));
        assertThrows(IllegalArgumentException.class, () -> Task.join((Stream<Integer> in) -> 0, Task.byKey(key)));
        assertThrows(
                IllegalArgumentException.class,
                () -> Task.async(
                        (Integer x) -> (CompletionStage<Integer>) CompletableFuture.completedFuture(x),
                        Task.byKey(key)));
        assertThrows(
                IllegalArgumentException.class,
                () -> Task.asyncBranch(
                        (Integer x) -> (CompletionStage<List<Integer>>) CompletableFuture.completedFuture(List.of(x)),
                        Task.byKey(key)));
        assertThrows(IllegalArgumentException.class, () -> Task.batch(3, Task.byKey(key)));
        assertThrows(
                IllegalArgumentException.class, () -> Task.task((Integer x) -> x, Task.byKey(key), Task.byKey(key)));
        Task.task((Integer x) -> x, Task.workers(3), Task.byKey(key)); // and takes it where rule 10.12 allows
    }

    private static boolean isJoin(StageFunction f) {
        return f instanceof JoinFunctions.Fold
                || f instanceof JoinFunctions.Drain
                || f instanceof JoinFunctions.EachElement
                || f instanceof JoinFunctions.Running
                || f instanceof JoinFunctions.Head;
    }

    /** Checks the stages of one pipeline at nesting {@code depth} and those nested in them, noting what they cover. */
    private static void checkSection10(
            List<StageShape> stages,
            int depth,
            Set<String> maxWaits,
            Set<String> takers,
            Set<String> paced,
            Set<Integer> sizes,
            Set<Integer> bursts,
            Set<String> combinations) {
        boolean ordered = true;
        ListFunctions.Batch batch = null;
        boolean exact = false;
        for (int k = 0; k < stages.size(); k++) {
            StageShape stage = stages.get(k);
            StageFunction f = stage.function();
            boolean takesLists = f instanceof ListFunctions.OnLists || f instanceof ListFunctions.Flatten;
            assertEquals(batch != null, takesLists, "a task takes lists exactly where a batch's lists flow: " + stage);
            if (f instanceof ListFunctions.Batch b) {
                assertTrue(k > 0, "rule 10.9: a batch is not the first task");
                assertEquals(1, stage.workers(), "rule 10.9: one worker");
                assertTrue(
                        !stage.multiprocess() && stage.flaky() == null && stage.rate() == null, "rule 10.9: " + stage);
                assertTrue(stage.throttle() == 0 || stage.throttle() >= b.size(), "rule 10.7: " + stage);
                assertTrue(b.size() >= 1 && b.size() <= 5, stage.toString());
                assertTrue(b.maxWait() == null || b.maxWait().compareTo(java.time.Duration.ZERO) > 0, stage.toString());
                sizes.add(b.size());
                maxWaits.add(b.maxWait() == null ? "none" : b.timed() ? "short" : "long");
                if (stage.throttle() > 0) {
                    combinations.add("batch throttled");
                }
                if (stage.ordered()) {
                    combinations.add("batch ordered()");
                }
                if (depth > 0) {
                    combinations.add("batch in a nested pipeline");
                }
                batch = b;
                exact = ListFunctions.exact(b.maxWait(), ordered);
            } else if (takesLists) {
                takers.add(name(f));
                if (f instanceof ListFunctions.OnLists lists) {
                    assertEquals(batch.size(), lists.size(), "the task that takes the lists knows their size");
                }
                if (f instanceof ListFunctions.Fold || stage.flaky() != null) {
                    assertTrue(
                            exact,
                            "a fold of lists, or failures of whole lists, only where the lists are exact: " + stage);
                }
                if (stage.flaky() != null) {
                    combinations.add("flaky list task");
                    if (stage.flaky().handling() != Flaky.Handling.FAIL) {
                        combinations.add("flaky list task skips or dead-letters");
                    }
                }
                assertTrue(
                        !(f instanceof ListFunctions.AsyncEach && stage.multiprocess()),
                        "rule 1.5: an async task is not multiprocess: " + stage);
                if (stage.multiprocess()) {
                    combinations.add("list task multiprocess()");
                }
                if (stage.workers() > 1) {
                    combinations.add("list task with workers");
                }
                if (!(f instanceof ListFunctions.MapList)) {
                    batch = null;
                }
            }
            if (stage.rate() != null) {
                assertTrue(
                        !(f instanceof JoinFunctions.Fold
                                || f instanceof JoinFunctions.Drain
                                || f instanceof JoinFunctions.EachElement
                                || f instanceof JoinFunctions.Running
                                || f instanceof JoinFunctions.Head
                                || f instanceof ListFunctions.Batch),
                        "rule 10.2: no rate on a join, rule 10.9: nor on a batch: " + stage);
                assertTrue(
                        stage.rate().perSecond() >= 10_000 && stage.rate().perSecond() <= 1_000_000, stage.toString());
                bursts.add(stage.rate().burst());
                paced.add(name(f));
                if (stage.flaky() != null) {
                    combinations.add("rate and flaky");
                }
                if (stage.multiprocess()) {
                    combinations.add("rate and multiprocess()");
                }
                if (stage.ordered() && stage.workers() > 1) {
                    combinations.add("rate and ordered()");
                }
                if (depth > 0) {
                    combinations.add("rate in a nested pipeline");
                }
            }
            if (f instanceof Nested n) {
                checkSection10(n.inner(), depth + 1, maxWaits, takers, paced, sizes, bursts, combinations);
            }
            ordered &= stage.keepsOrder();
        }
        assertEquals(null, batch, "the pipeline ends in items, not lists");
    }

    private static List<StageShape> all(List<StageShape> stages) {
        return FlowCheck.all(stages);
    }

    private static String name(StageFunction function) {
        String name = function.getClass().getSimpleName();
        if (function instanceof Nested n) {
            return name + (n.flatten() ? "-branch" : "-task");
        }
        return function.getClass().getEnclosingClass() == ListFunctions.class ? "list-" + name : name;
    }

    private static Site site(StageShape stage) {
        return stage.function() instanceof StageFunction.PerInput p
                ? p.site()
                : stage.function() instanceof ListFunctions.OnLists lists ? lists.site() : null;
    }
}
