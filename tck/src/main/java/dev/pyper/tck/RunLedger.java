package dev.pyper.tck;

import dev.pyper.Emitter;
import dev.pyper.function.Generator;
import dev.pyper.function.ThrowingFunction;
import dev.pyper.spi.Plan;
import dev.pyper.spi.TaskSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The kit's ledger of one run: which invocations of the run's functions are executing right now,
 * and in which process (rule 4.5, "nothing of the run is busy" once the caller has its result).
 *
 * <p>{@link #track(Plan)} wraps every task's function so that each invocation records its entry
 * and its exit in shared memory ({@link SharedCells.Block}), under the task and the process id of
 * the JVM that runs it: this JVM, a worker process, a TaskManager. What the wrappers record does
 * not depend on the threads that run them, on their names, or on the pool they come from.
 * {@link #busy()} then lists the invocations that have entered and not exited in a process that is
 * still alive: an invocation in a worker JVM that was killed is not busy.
 *
 * <h2>What counts as an invocation</h2>
 * A call of the function, whatever its kind ({@link TaskSpec.Kind}); for a branch, also every call
 * of its {@code Iterable}'s {@code iterator()} and of the iterator's methods, since the executor
 * iterates it after the function returns (rule 2.3); for an async task, only the call that
 * returns the stage (its completion runs elsewhere, rule 5.1). A generator's or a join's emits run
 * inside its call, so a generator blocked in {@code emit} is busy.
 *
 * <h2>Layout and reuse</h2>
 * Cell 0 holds the ledger's generation, cell 1 counts invocations that found no free slot, and
 * then come {@value #SLOTS} slots of two cells each: a key ({@code (task + 1) << 32 | pid}, 0 for a
 * free slot) and the number of that task's invocations running in that process. A wrapper finds or
 * claims its slot once per JVM (compare-and-set on the key) and then adds and subtracts one
 * per invocation. Blocks are pooled by this JVM: a ledger whose run has ended with nothing busy
 * goes back to the pool with its generation raised, so that a late invocation of the old run
 * (itself a breach of rule 4.2) records nothing in the next run's ledger.
 */
final class RunLedger {

    /** Slots per ledger: room for each task of a run in each of the processes that run it. */
    static final int SLOTS = 1024;

    private static final int GENERATION = 0;
    private static final int UNPLACED = 1;
    private static final int FIRST_SLOT = 2;
    private static final int CELLS = FIRST_SLOT + 2 * SLOTS;
    private static final long PID = ProcessHandle.current().pid();
    private static final Queue<SharedCells.Block> POOL = new ConcurrentLinkedQueue<>();

    private final SharedCells.Block block;
    private final long generation;
    private final List<String> tasks;

    private RunLedger(SharedCells.Block block, List<String> tasks) {
        this.block = block;
        this.generation = block.get(GENERATION);
        this.tasks = tasks;
    }

    /**
     * A ledger for a run of {@code plan}, empty, from the pool or new.
     *
     * @param plan the plan about to run
     * @return the ledger
     */
    static RunLedger open(Plan plan) {
        SharedCells.Block block = POOL.poll();
        return new RunLedger(
                block != null ? block : SharedCells.allocateBlock(CELLS),
                plan.tasks().stream().map(TaskSpec::name).toList());
    }

    /**
     * The plan with every task's function wrapped to record its invocations here; names, kinds
     * and options unchanged. Each wrapper keeps its kind's functional interface and is
     * serializable when the function is.
     *
     * @param plan the plan this ledger was opened for
     * @return the plan to start instead
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    Plan track(Plan plan) {
        List<TaskSpec> tracked = new ArrayList<>(plan.tasks().size());
        for (int i = 0; i < plan.tasks().size(); i++) {
            TaskSpec task = plan.tasks().get(i);
            Entry entry = new Entry(block, generation, i);
            Serializable function = switch (task.kind()) {
                case GENERATOR, JOIN_GENERATOR -> new TrackedGenerator(entry, (Generator) task.function());
                case BRANCH -> new TrackedFunction(entry, (ThrowingFunction) task.function(), true);
                case TASK, JOIN, ASYNC, ASYNC_BRANCH ->
                    new TrackedFunction(entry, (ThrowingFunction) task.function(), false);
                case BATCH -> task.function(); // no function of the user's: nothing runs to be tracked (rule 10.5)
            };
            tracked.add(task.withFunction(function, task.failurePolicy()));
        }
        return new Plan(tracked);
    }

    /**
     * The invocations running now in a live process, per task and process, or null if there are
     * none.
     *
     * @return e.g. {@code "task 'read': 2 invocations still running (1 in this JVM, pid 41; 1 in process 57)"},
     *     or null
     */
    String busy() {
        Map<Integer, Map<Long, Long>> running = new LinkedHashMap<>();
        int total = 0;
        for (int slot = 0; slot < SLOTS; slot++) {
            long key = block.get(keyCell(slot));
            if (key == 0) {
                continue;
            }
            long count = block.get(keyCell(slot) + 1);
            long pid = key & 0xFFFF_FFFFL;
            if (count > 0 && alive(pid)) {
                running.computeIfAbsent((int) (key >>> 32) - 1, t -> new LinkedHashMap<>())
                        .merge(pid, count, Long::sum);
                total += (int) count;
            }
        }
        long unplaced = block.get(UNPLACED);
        if (total == 0 && unplaced <= 0) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        running.forEach((task, byPid) -> {
            long n = byPid.values().stream().mapToLong(Long::longValue).sum();
            b.append(b.isEmpty() ? "" : "; ")
                    .append("task '")
                    .append(name(task))
                    .append("': ")
                    .append(n)
                    .append(n == 1 ? " invocation" : " invocations")
                    .append(" still running (");
            StringBuilder where = new StringBuilder();
            byPid.forEach((pid, count) -> where.append(where.isEmpty() ? "" : "; ")
                    .append(byPid.size() == 1 ? "" : count + " ")
                    .append(pid == PID ? "in this JVM, pid " + pid : "in process " + pid));
            b.append(where).append(')');
        });
        if (unplaced > 0) {
            b.append(b.isEmpty() ? "" : "; ")
                    .append(unplaced)
                    .append(" invocation(s) of some task still running in a process"
                            + " that the ledger had no room to name");
        }
        return b.toString();
    }

    /**
     * Gives the ledger back to the pool if nothing is recorded as running in it (else it is left
     * alone, for good). Call once, when the run is closed and no check of it is under way.
     */
    void release() {
        if (block.get(UNPLACED) != 0) {
            return;
        }
        for (int slot = 0; slot < SLOTS; slot++) {
            if (block.get(keyCell(slot) + 1) != 0) {
                return;
            }
        }
        block.set(GENERATION, generation + 1); // first: a late wrapper of this run records nothing from now on
        for (int slot = 0; slot < SLOTS; slot++) {
            block.set(keyCell(slot), 0);
        }
        POOL.add(block);
    }

    private String name(int task) {
        return task >= 0 && task < tasks.size() ? tasks.get(task) : "#" + task;
    }

    private static int keyCell(int slot) {
        return FIRST_SLOT + 2 * slot;
    }

    private static boolean alive(long pid) {
        return pid == PID || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Where one task's invocations of one run record themselves; serializable, so that it travels
     * with the function to worker processes and records there. Finds its slot once per JVM.
     */
    static final class Entry implements Serializable {
        private static final long serialVersionUID = 1L;

        private final SharedCells.Block block;
        private final long generation;
        private final int task;
        /** This JVM's slot's count cell, 0 until found (a deserialized copy starts at 0). */
        private transient int countCell;

        Entry(SharedCells.Block block, long generation, int task) {
            this.block = block;
            this.generation = generation;
            this.task = task;
        }

        /**
         * Records the start of an invocation in this process.
         *
         * @return the cell to pass to {@link #exit}, or -1 if nothing was recorded (the run's
         *     ledger has been reused: this invocation came too late to be its run's)
         */
        int enter() {
            if (block.get(GENERATION) != generation) {
                return -1;
            }
            int cell = countCell;
            if (cell == 0) {
                cell = findCell();
                countCell = cell;
            }
            block.addAndGet(cell, 1);
            return cell;
        }

        /**
         * Records the end of an invocation that {@link #enter} recorded.
         *
         * @param cell what {@code enter} returned
         */
        void exit(int cell) {
            if (cell > 0) {
                block.addAndGet(cell, -1);
            }
        }

        /** This task's slot for this process: found, or claimed; the unplaced cell if every slot is taken. */
        private int findCell() {
            long key = ((long) (task + 1) << 32) | PID;
            int start = (int) ((key * 0x9E37_79B9_7F4A_7C15L) >>> 54) % SLOTS; // the top 10 bits: 0 … 1023
            for (int i = 0; i < SLOTS; i++) {
                int slot = (start + i) % SLOTS;
                long found = block.get(keyCell(slot));
                if (found == 0 && !block.compareAndSet(keyCell(slot), 0, key)) {
                    found = block.get(keyCell(slot)); // another process claimed it just now
                } else if (found == 0) {
                    found = key;
                }
                if (found == key) {
                    return keyCell(slot) + 1;
                }
            }
            return UNPLACED;
        }
    }

    /** A task's, join's or async task's function (and a branch's, whose iteration it tracks too), recording each call. */
    static final class TrackedFunction implements ThrowingFunction<Object, Object> {
        private static final long serialVersionUID = 1L;

        private final Entry entry;
        private final ThrowingFunction<Object, Object> function;
        private final boolean branch;

        TrackedFunction(Entry entry, ThrowingFunction<Object, Object> function, boolean branch) {
            this.entry = entry;
            this.function = function;
            this.branch = branch;
        }

        @Override
        public Object apply(Object input) throws Exception {
            int cell = entry.enter();
            try {
                Object result = function.apply(input);
                // anything else goes back as it is, for the executor to refuse (rule 2.3)
                return branch && result instanceof Iterable<?> iterable ? new TrackedIterable(entry, iterable) : result;
            } finally {
                entry.exit(cell);
            }
        }
    }

    /** A generator or join generator, recording each call; its emits run inside it. */
    static final class TrackedGenerator implements Generator<Object, Object> {
        private static final long serialVersionUID = 1L;

        private final Entry entry;
        private final Generator<Object, Object> generator;

        TrackedGenerator(Entry entry, Generator<Object, Object> generator) {
            this.entry = entry;
            this.generator = generator;
        }

        @Override
        public void generate(Object input, Emitter<Object> out) throws Exception {
            int cell = entry.enter();
            try {
                generator.generate(input, out);
            } finally {
                entry.exit(cell);
            }
        }
    }

    /** A branch's result: each call into it, as the executor iterates, is recorded as running code of the task. */
    static final class TrackedIterable implements Iterable<Object>, Serializable {
        private static final long serialVersionUID = 1L;

        private final Entry entry;
        private final Iterable<?> iterable;

        TrackedIterable(Entry entry, Iterable<?> iterable) {
            this.entry = entry;
            this.iterable = iterable;
        }

        @Override
        public Iterator<Object> iterator() {
            int cell = entry.enter();
            try {
                return new TrackedIterator(entry, iterable.iterator());
            } finally {
                entry.exit(cell);
            }
        }
    }

    /** The iterator of a {@link TrackedIterable}. */
    private static final class TrackedIterator implements Iterator<Object> {
        private final Entry entry;
        private final Iterator<?> iterator;

        TrackedIterator(Entry entry, Iterator<?> iterator) {
            this.entry = entry;
            this.iterator = iterator;
        }

        @Override
        public boolean hasNext() {
            int cell = entry.enter();
            try {
                return iterator.hasNext();
            } finally {
                entry.exit(cell);
            }
        }

        @Override
        public Object next() {
            int cell = entry.enter();
            try {
                return iterator.next();
            } finally {
                entry.exit(cell);
            }
        }

        @Override
        public void remove() {
            int cell = entry.enter();
            try {
                iterator.remove();
            } finally {
                entry.exit(cell);
            }
        }
    }
}
