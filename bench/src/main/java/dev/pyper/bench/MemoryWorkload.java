package dev.pyper.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * W4, memory: a producer of N fresh {@code byte[1024]} → their lengths, summed by the caller,
 * with every buffer bounded to 1,000 against unbounded. Each run is a child JVM of its own
 * ({@link ChildJvm}) with {@code -Xmx64m}: peak RSS is the child's {@code VmHWM}, and a bounded
 * case shows it is bounded by completing in that heap. Target: throttled peak RSS under 200 MiB
 * and flat in N (N/4 against N within 1.25×).
 *
 * <p>A JVM's RSS is mostly the heap the GC let grow plus the JVM itself, so an idle child is
 * measured too. An unbounded case that runs out of memory, or hangs afterwards, is reported as
 * such; after the first run that had to be killed, a case is not repeated.
 */
final class MemoryWorkload implements Workload {

    private static final String HEAP = "64m";
    private static final int BOUND = 1000;
    private static final double TARGET_MIB = 200;
    private static final double FLAT = 1.25;

    @Override
    public String id() {
        return "W4";
    }

    @Override
    public String title() {
        return "W4 memory: N × `new byte[1024]` → length, child JVM with -Xmx" + HEAP;
    }

    @Override
    public String description() {
        return "Peak RSS (`VmHWM`) of a fresh child JVM per run, heap fixed at -Xmx" + HEAP
                + ". Bounded = every buffer "
                + BOUND + " (Pyper `throttle(" + BOUND + ")`, `ArrayBlockingQueue(" + BOUND + ")`, Reactor prefetch "
                + BOUND + "); unbounded = Pyper `throttle(0)`, `LinkedBlockingQueue`, Reactor `Flux.create` with "
                + "`BUFFER`. Target: Pyper bounded under " + Format.mebibytes(TARGET_MIB) + " and flat in N (N/4 → N "
                + "within ×" + FLAT + ").";
    }

    @Override
    public List<Row> run(BenchContext bench) throws Exception {
        BenchOptions options = bench.options();
        int n = options.scaled(2_000_000, 200_000);
        int quarter = n / 4;
        long timeout = options.scaled(45, 30);
        List<Row> rows = new ArrayList<>();

        Cases idle = runCase(bench, "idle JVM", "abq-chain", 0, 0, timeout);
        rows.add(row("no work (JVM alone)", "java", idle, "", Row.Verdict.NONE));

        for (Subject subject : bench.subjects(s -> true)) {
            int items = n / subject.itemDivisor();
            String caseName = "bounded " + BOUND + ", N=" + items;
            if (subject.declines("W4", 1) != null) {
                rows.add(Row.notRun(caseName, subject.name(), subject.declines("W4", 1)));
                continue;
            }
            Cases full = runCase(bench, caseName, subject.name(), items, BOUND, timeout);
            if (!subject.isPyper()) {
                rows.add(row(caseName, subject.name(), full, "", Row.Verdict.NONE));
                continue;
            }
            Cases small =
                    runCase(bench, "bounded " + BOUND + ", N=" + quarter, subject.name(), quarter, BOUND, timeout);
            rows.add(row("bounded " + BOUND + ", N=" + quarter, subject.name(), small, "", Row.Verdict.NONE));
            if (full.completed().isEmpty() || small.completed().isEmpty()) {
                rows.add(row(caseName, subject.name(), full, "", Row.Verdict.of(false)));
                continue;
            }
            double growth = full.medianMiB() / small.medianMiB();
            boolean met = full.allCompleted() && full.medianMiB() < TARGET_MIB && growth <= FLAT;
            rows.add(row(
                    caseName, subject.name(), full, Format.ratio(growth) + " vs N=" + quarter, Row.Verdict.of(met)));
        }

        for (Subject subject : bench.subjects(s -> true)) {
            String caseName = "unbounded, N=" + n;
            String declined = subject instanceof MapConcurrentSubject
                    ? "always bounded by its concurrency"
                    : subject.declines("W4", 1);
            if (declined != null) {
                rows.add(Row.notRun(caseName, subject.name(), declined));
                continue;
            }
            rows.add(row(
                    caseName,
                    subject.name(),
                    runCase(bench, caseName, subject.name(), n, 0, timeout),
                    "",
                    Row.Verdict.NONE));
        }
        return rows;
    }

    /** The endings of the runs of one case. */
    private record Cases(List<ChildJvm.Ending> endings) {
        List<ChildJvm.Completed> completed() {
            return endings.stream()
                    .filter(ChildJvm.Completed.class::isInstance)
                    .map(ChildJvm.Completed.class::cast)
                    .toList();
        }

        boolean allCompleted() {
            return completed().size() == endings.size();
        }

        Sample mib() {
            return new Sample(completed().stream()
                    .mapToDouble(c -> c.peakRssKiB() / 1024.0)
                    .toArray());
        }

        double medianMiB() {
            return mib().median();
        }

        String summary() {
            long oom = endings.stream()
                    .filter(ChildJvm.OutOfMemory.class::isInstance)
                    .count();
            long hung = endings.stream()
                    .filter(e -> e instanceof ChildJvm.OutOfMemory o && o.hung())
                    .count();
            long timedOut =
                    endings.stream().filter(ChildJvm.TimedOut.class::isInstance).count();
            List<String> parts = new ArrayList<>();
            parts.add("completed " + completed().size() + " of " + endings.size());
            if (oom > 0) {
                parts.add("out of memory in " + oom + (hung > 0 ? " (" + hung + " then hung, killed)" : ""));
            }
            if (timedOut > 0) {
                parts.add("killed at the timeout in " + timedOut);
            }
            endings.stream()
                    .filter(ChildJvm.Failed.class::isInstance)
                    .map(ChildJvm.Failed.class::cast)
                    .findFirst()
                    .ifPresent(f -> parts.add("failed: exit " + f.exitCode() + " " + f.lastLine()));
            return String.join("; ", parts);
        }
    }

    private static Cases runCase(BenchContext bench, String caseName, String subject, int n, int bound, long timeout)
            throws Exception {
        List<ChildJvm.Ending> endings = new ArrayList<>();
        bench.log().printf("W4 %-22s %-16s ", caseName, subject);
        bench.log().flush();
        for (int i = 0; i < bench.options().runs(); i++) {
            MachineLoad.awaitQuiet(bench.options().quietWaitSeconds());
            ChildJvm.Ending ending = ChildJvm.run(HEAP, timeout, subject, Integer.toString(n), Integer.toString(bound));
            endings.add(ending);
            bench.log().print(describe(ending) + " ");
            bench.log().flush();
            if (ending instanceof ChildJvm.TimedOut || ending instanceof ChildJvm.OutOfMemory o && o.hung()) {
                break;
            }
        }
        bench.log().println();
        return new Cases(endings);
    }

    private static String describe(ChildJvm.Ending ending) {
        return switch (ending) {
            case ChildJvm.Completed c -> (c.peakRssKiB() / 1024) + "MiB/" + c.millis() + "ms";
            case ChildJvm.OutOfMemory o -> o.hung() ? "OOM+hang" : "OOM";
            case ChildJvm.TimedOut t -> "timeout";
            case ChildJvm.Failed f -> "exit" + f.exitCode();
        };
    }

    private static Row row(String caseName, String subject, Cases cases, String derived, Row.Verdict verdict) {
        String summary = cases.summary();
        String extra = derived.isEmpty() ? summary : derived + "; " + summary;
        if (cases.completed().isEmpty()) {
            return new Row(caseName, subject, "— (did not complete)", "", summary, verdict);
        }
        Sample mib = cases.mib();
        double millis = cases.completed().stream()
                .mapToLong(ChildJvm.Completed::millis)
                .sorted()
                .skip(cases.completed().size() / 2)
                .findFirst()
                .orElse(0);
        return new Row(
                        caseName,
                        subject,
                        Format.mebibytes(mib.median()),
                        Format.spread(mib, Format::mebibytes),
                        extra + "; " + Format.millis(millis) + " median run",
                        verdict)
                .with(Row.Figures.of(mib, Row.Figures.MEBIBYTES));
    }
}
