package dev.pyper.model;

import dev.pyper.Option;
import dev.pyper.Task;
import dev.pyper.model.ModelCase.Consumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes one random case from a seed: the same seed always makes the same case.
 *
 * <p>Pipelines have 1 to 6 stages of every kind (plain, branch, generator, join, join+branch,
 * async, async branch, nested pipeline in task and branch form), 1 to 8 workers except the
 * producer (rule 1.4), throttle 0 to 4, {@code ordered()} where allowed (rule 3.4) and
 * {@code multiprocess()} where the executor allows it. A third of the pipelines keep order end to
 * end, so that sequences, not only multisets, are compared often. A quarter of the top-level
 * plain, branch and generator tasks are {@link Flaky}, with the options of section 9 that handle
 * their failures. Stages are kept under
 * {@value #ITEM_CAP} items by replacing a stage that would fan out further with a plain one.
 *
 * <p>Section 10: after the producer, {@value #BATCH_PERCENT}% of the stages are a
 * {@code batch(n)} or {@code batch(n, maxWait)} ({@link ListFunctions}), followed by tasks that
 * take its lists until one gives items again ({@code flatten()}, a branch or an async branch over
 * each list, a plain task that maps a list to a list, one that folds a list, where the lists are
 * exact); a list edge at the end of a pipeline gets
 * one more stage. A batch takes only the options rule 10.9 lets it take. {@value #RATE_PERCENT}%
 * of the other stages that rule 10.2 allows (not joins, not batches) get a high
 * {@code rate(r).burst(b)}, so that cases stay fast. {@value #KEY_PERCENT}% of the stages that
 * rule 10.12 lets have a key (not joins, async tasks nor batches) get {@code byKey} with one key,
 * three or one per value ({@link KeyOf}); at the top level their functions watch their key's turns
 * ({@link KeyWatch}), in the model's order where the task's input order is promised.
 */
final class CaseGenerator {

    static final int ITEM_CAP = 200;
    /** Of the top-level plain, branch and generator tasks, the share (in percent) that get {@link Flaky} failures. */
    static final int FLAKY_PERCENT = 25;
    /** Of the stages after the producer that take items, the share (in percent) that are a batch. */
    static final int BATCH_PERCENT = 10;
    /** Of the stages that may have a rate (rule 10.2), the share (in percent) that get one. */
    static final int RATE_PERCENT = 15;
    /** Of the stages that may have a key (rule 10.12), the share (in percent) that get {@code byKey}. */
    static final int KEY_PERCENT = 12;
    /** The rates a stage gets, per second: high, so that a case of 200 items waits at most 20 ms per stage. */
    private static final double[] RATES = {10_000, 30_000, 100_000, 300_000, 1_000_000};

    private static final int INNER_ITEM_CAP = 12;
    private static final AtomicLong CASE_IDS = new AtomicLong();

    private final SplittableRandom random;
    /**
     * Draws the keys (rule 10.10) apart from {@link #random}, so that every case stays as its seed
     * made it before keys came, but for its keys.
     */
    private final SplittableRandom keyRandom;

    private final long caseId;
    private final Capabilities capabilities;
    private final Map<Integer, String> faultStage = new HashMap<>();
    private int faultIds;
    /** The list edge that the stage being made takes its input from: the batch's size and whether its lists are exact; null for items. */
    private ListEdge edge;

    /** What flows on an edge between a batch and the task that gives items again. */
    private record ListEdge(int size, boolean exact) {}

    private CaseGenerator(long seed, Capabilities capabilities) {
        this.random = new SplittableRandom(seed);
        this.keyRandom = new SplittableRandom(seed ^ 0x6B6579734B657973L);
        this.caseId = CASE_IDS.incrementAndGet();
        this.capabilities = capabilities;
    }

    /** The case of this seed. */
    static ModelCase generate(long seed, Capabilities capabilities) {
        return new CaseGenerator(seed, capabilities).generate(seed);
    }

    /** The seed of the case after the one of {@code seed}: cases chain, so one seed replays a whole series. */
    static long nextSeed(long seed) {
        long z = seed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private ModelCase generate(long seed) {
        int input = random.nextInt(Values.RANGE);
        int n = 1 + random.nextInt(6);
        List<StageShape> stages = pipeline(input, n, 0, null);
        FaultLog log = new FaultLog();
        Model.Expectation expected = Model.evaluate(stages, input, log);
        Consumer consumer = pick(Consumer.values(), new int[] {55, 15, 15, 8, 7});
        int k = random.nextInt(expected.outputs().size() + 1);
        return new ModelCase(
                seed,
                caseId,
                stages,
                input,
                consumer,
                k,
                expected,
                log.fired(),
                log.certain(),
                Map.copyOf(faultStage),
                leadBounds(stages));
    }

    /** Stages of one pipeline; {@code top} is the top-level stage a nested pipeline lives in, or null. */
    private List<StageShape> pipeline(Integer input, int n, int depth, String top) {
        ListEdge outer = edge;
        edge = null;
        boolean keepOrder = random.nextInt(3) == 0;
        int faultAt = depth == 0 && random.nextInt(100) < 35 ? random.nextInt(n) : -1;
        int secondFaultAt = depth == 0 && random.nextInt(100) < 8 ? random.nextInt(n) : -1;
        List<StageShape> stages = new ArrayList<>();
        List<Integer> values = Collections.singletonList(input);
        boolean ordered = true;
        for (int i = 0; i < n; i++) {
            String name = depth == 0 ? "s" + i : top + "." + i;
            boolean fault = i == faultAt || i == secondFaultAt || (depth > 0 && random.nextInt(100) < 5);
            StageShape stage = stage(i, name, values, ordered, keepOrder, fault, depth, top == null ? name : top);
            values = stage.function().model(values, stage.workers(), new FaultLog());
            ordered &= stage.keepsOrder();
            stages.add(stage);
            if (i == n - 1 && edge != null) {
                n++; // the last stage gives lists: one more takes them
            }
        }
        edge = outer;
        return stages;
    }

    private enum Kind {
        PLAIN,
        BRANCH,
        GENERATOR,
        JOIN,
        JOIN_EMIT,
        ASYNC,
        ASYNC_BRANCH,
        NESTED_TASK,
        NESTED_BRANCH,
        BATCH,
        FLATTEN,
        LIST_EACH,
        LIST_MAP,
        LIST_FOLD,
        LIST_ASYNC
    }

    /** The kinds that take and give items, the producer's aside, in the order of their weights. */
    private static final Kind[] ITEM_KINDS = {
        Kind.PLAIN,
        Kind.BRANCH,
        Kind.GENERATOR,
        Kind.JOIN,
        Kind.JOIN_EMIT,
        Kind.ASYNC,
        Kind.ASYNC_BRANCH,
        Kind.NESTED_TASK,
        Kind.NESTED_BRANCH
    };

    private StageShape stage(
            int i,
            String name,
            List<Integer> values,
            boolean ordered,
            boolean keepOrder,
            boolean fault,
            int depth,
            String top) {
        int cap = depth == 0 ? ITEM_CAP : INNER_ITEM_CAP;
        boolean nestedAllowed = depth == 0 && capabilities.nested();
        Kind kind;
        int maxOut = 1 + random.nextInt(5); // 0 to maxOut outputs per input
        if (edge != null) {
            kind = pick(
                    new Kind[] {Kind.FLATTEN, Kind.LIST_EACH, Kind.LIST_MAP, Kind.LIST_FOLD, Kind.LIST_ASYNC},
                    new int[] {4, 3, 3, edge.exact() ? 4 : 0, 2});
        } else if (i == 0) {
            boolean source = random.nextInt(100) < 70;
            kind = source
                    ? (random.nextBoolean() ? Kind.GENERATOR : Kind.BRANCH)
                    : pick(
                            new Kind[] {
                                Kind.PLAIN,
                                Kind.BRANCH,
                                Kind.GENERATOR,
                                Kind.ASYNC,
                                Kind.ASYNC_BRANCH,
                                Kind.NESTED_BRANCH
                            },
                            new int[] {3, 2, 2, 2, 1, nestedAllowed ? 2 : 0});
            if (source) {
                maxOut = random.nextInt(depth == 0 ? 61 : 7);
            }
        } else if (random.nextInt(100) < BATCH_PERCENT) {
            return batch(name, ordered);
        } else {
            kind = pick(
                    ITEM_KINDS, new int[] {14, 12, 12, 12, 12, 10, 6, nestedAllowed ? 5 : 0, nestedAllowed ? 5 : 0});
        }
        ListEdge lists = edge;
        boolean join = kind == Kind.JOIN || kind == Kind.JOIN_EMIT;
        int workers = i == 0 || capabilities.maxWorkers() == 1 || random.nextBoolean()
                ? 1
                : 2 + random.nextInt(capabilities.maxWorkers() - 1);
        if (join && keepOrder) {
            workers = 1; // a join with several workers cannot keep order (rule 3.4)
        }
        boolean orderedOption = !(join && workers > 1) && (keepOrder && workers > 1 || random.nextInt(100) < 30);
        int throttle = random.nextInt(5);
        int pause = random.nextInt(100) < 25 ? 20 + random.nextInt(280) : 0;
        Fault planted = null;
        if (fault && !values.isEmpty() && kind != Kind.FLATTEN) {
            planted = new Fault(
                    ++faultIds,
                    Values.of(values.get(random.nextInt(values.size()))),
                    Fault.Type.values()[random.nextInt(3)],
                    random.nextBoolean());
            faultStage.put(planted.id(), top);
        }
        Flaky flaky = null;
        boolean survivable = kind != Kind.JOIN
                && kind != Kind.JOIN_EMIT
                && kind != Kind.NESTED_TASK
                && kind != Kind.NESTED_BRANCH; // rule 9.1: not joins; async tasks chain their attempts (rule 9.8)
        if (lists != null) {
            // a failure concerns the whole list (rule 10.6): which items it drops is known only where the lists are
            survivable = kind != Kind.FLATTEN && lists.exact();
        }
        List<Integer> keys = lists == null
                ? values
                : ListFunctions.lists(values, lists.size()).stream()
                        .map(ListFunctions::key)
                        .toList();
        if (depth == 0 && survivable && !values.isEmpty() && random.nextInt(100) < FLAKY_PERCENT) {
            flaky = flaky(
                    name,
                    keys,
                    kind != Kind.ASYNC && kind != Kind.ASYNC_BRANCH && kind != Kind.LIST_ASYNC,
                    kind == Kind.PLAIN || kind == Kind.LIST_MAP || kind == Kind.LIST_FOLD);
            if (planted != null && planted.type() != Fault.Type.ERROR) {
                // an Exception would be retried, skipped or dead-lettered like the flaky one; an Error never is (rules
                // 9.2, 9.5)
                planted = new Fault(planted.id(), planted.onValue(), Fault.Type.ERROR, planted.inFuture());
            }
        }
        KeyOf key = null;
        KeyWatch watch = null;
        boolean keyable = !join
                && kind != Kind.ASYNC
                && kind != Kind.ASYNC_BRANCH
                && kind != Kind.LIST_ASYNC; // rule 10.12: no key on a join nor an async task (a batch is made above)
        if (keyable && keyRandom.nextInt(100) < KEY_PERCENT) {
            key = new KeyOf(KeyOf.Shape.values()[keyRandom.nextInt(KeyOf.Shape.values().length)]);
            if (depth == 0) { // an inner stage runs once per outer input, each run with keys of its own (rule 1.8)
                boolean known = ordered && (lists == null || lists.exact());
                watch = KeyWatch.of(
                        key,
                        values.size(),
                        known ? keys.stream().map(Values::of).toList() : null);
            }
        }
        Site site = new Site(caseId, depth == 0 ? i : -1, planted, pause, flaky, watch);
        int salt = random.nextInt();
        StageFunction function = lists != null
                ? onLists(kind, salt, lists.size(), site)
                : function(kind, salt, maxOut, workers, ordered, site, values, depth, top);
        if (lists == null && function.model(values, workers, new FaultLog()).size() > cap) {
            function = new PerInputFunctions.Plain(salt, false, site); // keeps the count of items
        }
        edge = kind == Kind.LIST_MAP ? lists : null;
        boolean multiprocess = capabilities.multiprocess()
                && (function instanceof StageFunction.PerInput
                        || function instanceof ListFunctions.OnLists
                        || function instanceof ListFunctions.Flatten)
                && !(function instanceof PerInputFunctions.Async)
                && !(function instanceof PerInputFunctions.AsyncBranch)
                && !(function instanceof ListFunctions.AsyncEach) // rule 1.5: an async task is not multiprocess
                && workers <= 2
                && random.nextInt(100) < 10; // each worker of a multiprocess task is a JVM
        Option.Rate rate = null;
        if (!join && random.nextInt(100) < RATE_PERCENT) { // rule 10.2: no rate on a join
            rate = Task.rate(RATES[random.nextInt(RATES.length)]).burst(1 + random.nextInt(8));
        }
        return new StageShape(function, workers, throttle, orderedOption, multiprocess, name, rate, key);
    }

    /**
     * A batch task (rule 10.9): one worker, no function, so no {@code multiprocess()}, section 9
     * option nor rate; {@code throttle} 0 or at least its size; {@code ordered()} now and then,
     * which changes nothing. Its maxWait is none, a few hundred microseconds to a few milliseconds
     * (lists may go early, so that only their bounds are modelled), or an hour, which never passes.
     */
    private StageShape batch(String name, boolean orderedInput) {
        int size = 1 + random.nextInt(5);
        int w = random.nextInt(10);
        Duration maxWait =
                w < 4 ? null : w < 6 ? ListFunctions.LONG_WAIT : Duration.ofNanos(1_000L * (50 + random.nextInt(3000)));
        int throttle = random.nextBoolean() ? 0 : size + random.nextInt(2 * size + 1);
        boolean orderedOption = random.nextInt(100) < 30;
        edge = new ListEdge(size, ListFunctions.exact(maxWait, orderedInput));
        return new StageShape(new ListFunctions.Batch(size, maxWait), 1, throttle, orderedOption, false, name);
    }

    /** A task that takes the lists of a batch of {@code size}. */
    private static StageFunction onLists(Kind kind, int salt, int size, Site site) {
        return switch (kind) {
            case FLATTEN -> new ListFunctions.Flatten(size);
            case LIST_EACH -> new ListFunctions.Each(salt, size, site, SharedTally.allocate(1));
            case LIST_MAP -> new ListFunctions.MapList(salt, size, site, SharedTally.allocate(1));
            case LIST_FOLD -> new ListFunctions.Fold(salt, size, site, SharedTally.allocate(1));
            case LIST_ASYNC -> new ListFunctions.AsyncEach(salt, size, site, SharedTally.allocate(1));
            default -> throw new IllegalArgumentException(kind + " does not take lists");
        };
    }

    private StageFunction function(
            Kind kind,
            int salt,
            int maxOut,
            int workers,
            boolean ordered,
            Site site,
            List<Integer> values,
            int depth,
            String top) {
        return switch (kind) {
            case PLAIN -> new PerInputFunctions.Plain(salt, random.nextInt(100) < 30, site);
            case BRANCH -> new PerInputFunctions.Branch(salt, maxOut, site);
            case GENERATOR -> new PerInputFunctions.Generate(salt, maxOut, site);
            case ASYNC -> new PerInputFunctions.Async(salt, site);
            case ASYNC_BRANCH -> new PerInputFunctions.AsyncBranch(salt, maxOut, site);
            case JOIN ->
                workers == 1
                        ? new JoinFunctions.Fold(ordered, Math.floorMod(salt, Values.RANGE), site)
                        : new JoinFunctions.Drain(Math.floorMod(salt, Values.RANGE), site);
            case JOIN_EMIT -> {
                int choice = workers == 1 && ordered ? random.nextInt(3) : 0;
                yield switch (choice) {
                    case 1 -> new JoinFunctions.Running(Math.floorMod(salt, Values.RANGE), site);
                    case 2 -> new JoinFunctions.Head(random.nextInt(6), salt, site);
                    default -> new JoinFunctions.EachElement(salt, workers == 1, site);
                };
            }
            case BATCH, FLATTEN, LIST_EACH, LIST_MAP, LIST_FOLD, LIST_ASYNC ->
                throw new IllegalArgumentException(kind + " is made elsewhere");
            case NESTED_TASK, NESTED_BRANCH -> {
                Integer sample = values.isEmpty() ? Integer.valueOf(0) : values.get(0);
                int faultsBefore = faultStage.size();
                List<StageShape> inner = pipeline(sample, 1 + random.nextInt(3), depth + 1, top);
                boolean innerOrdered = inner.stream().allMatch(StageShape::keepsOrder);
                boolean faultFree = faultStage.size() == faultsBefore;
                int limit = innerOrdered && faultFree && random.nextInt(100) < 30 ? 1 + random.nextInt(4) : 0;
                yield new Nested(inner, kind == Kind.NESTED_BRANCH, innerOrdered, limit);
            }
        };
    }

    /**
     * The failures a top-level plain, branch, generator or async task survives (section 9), on one to
     * three of its input values: transient ones within the task's retries (the output is the
     * model's), or permanent ones that are skipped, dead-lettered, or fail the run once out of
     * retries. Backoffs are zero. A blocking task's transient fault on one value, failing once, may
     * instead hang until its timeout (rule 9.4), hang deaf to it (written off, or its worker process
     * killed) or end its worker JVM (rule 9.2); rarely, as a hang costs its timeout. Only a plain
     * task hangs: an attempt of a branch or a generator includes passing its outputs on, which
     * back-pressure may hold for longer than any timeout on a loaded machine (rule 9.4 counts it),
     * so a timeout there could fire on an attempt that never hung.
     */
    private Flaky flaky(String name, List<Integer> values, boolean blocking, boolean oneOutput) {
        List<Integer> chosen = new ArrayList<>();
        int wanted = 1 + random.nextInt(3);
        for (int j = 0; j < wanted; j++) {
            Integer v = Values.of(values.get(random.nextInt(values.size())));
            if (!chosen.contains(v)) {
                chosen.add(v);
            }
        }
        Fault fault = new Fault(
                ++faultIds, chosen.get(0), random.nextBoolean() ? Fault.Type.CHECKED : Fault.Type.UNCHECKED, false);
        faultStage.put(fault.id(), name);
        int mode = random.nextInt(100);
        if (blocking && mode < 6) {
            Flaky.How how =
                    pick(new Flaky.How[] {Flaky.How.HANGS, Flaky.How.HANGS_DEAF, Flaky.How.EXITS}, new int[] {2, 1, 2});
            if (!oneOutput) {
                how = Flaky.How.EXITS; // drawn all the same, so that every other case stays as its seed made it
            }
            Flaky.Handling handling = pick(Flaky.Handling.values(), new int[] {3, 1, 1}); // never used: it recovers
            return Flaky.of(Flaky.Mode.TRANSIENT, chosen.subList(0, 1), 1, 1, handling, fault, name, how);
        }
        if (mode < 45) {
            int failures = 1 + random.nextInt(3);
            Flaky.Handling handling = pick(Flaky.Handling.values(), new int[] {3, 1, 1}); // never used: it recovers
            return Flaky.of(
                    Flaky.Mode.TRANSIENT, chosen, failures, failures + random.nextInt(2), handling, fault, name);
        }
        if (mode < 85) {
            int retries = random.nextBoolean() ? 0 : 1 + random.nextInt(2);
            return Flaky.of(
                    Flaky.Mode.PERMANENT,
                    chosen,
                    0,
                    retries,
                    mode < 65 ? Flaky.Handling.SKIP : Flaky.Handling.DEAD_LETTER,
                    fault,
                    name);
        }
        return Flaky.of(Flaky.Mode.PERMANENT, chosen, 0, 1 + random.nextInt(2), Flaky.Handling.FAIL, fault, name);
    }

    /** Per top-level stage, the bound of the throttle check (see {@link Probe}), or 0 where it does not apply. */
    private static int[] leadBounds(List<StageShape> stages) {
        int[] bounds = new int[stages.size()];
        for (int k = 0; k < stages.size(); k++) {
            StageShape stage = stages.get(k);
            StageShape next = k + 1 < stages.size() ? stages.get(k + 1) : null;
            boolean checkable = stage.function().countsEmits()
                    && stage.throttle() > 0
                    && !stage.multiprocess()
                    && !(stage.ordered() && stage.workers() > 1) // the reorder window holds outputs beyond the buffer
                    && (next == null
                            || next.function().countsStarts()
                                    && next.function().readsAllInputs()
                                    && !next.multiprocess());
            if (checkable) {
                // a keyed task holds up to twice its workers in inputs taken and not started (rule 10.11)
                int taken = next == null ? 1 : next.key() != null ? 2 * next.workers() : next.workers();
                bounds[k] = stage.throttle() + taken + stage.workers();
            }
        }
        return bounds;
    }

    private <T> T pick(T[] options, int[] weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int r = random.nextInt(total);
        for (int i = 0; i < options.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return options[i];
            }
        }
        throw new AssertionError("weights");
    }
}
