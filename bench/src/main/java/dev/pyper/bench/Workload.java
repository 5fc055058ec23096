package dev.pyper.bench;

import java.util.List;

/** One workload of the benchmark issue (W1 … W6) or of an executor issue (W7 first run, W8 IO at scale, W9 IPC, W10 metrics cost, W11 ecosystem cost, W12 batching, W13 rate accuracy, W14 order per key): its cases on every contender, as table rows. */
interface Workload {

    /** {@code W1} … {@code W14}. */
    String id();

    /** The heading of its table. */
    String title();

    /** What it measures and the target, as the report states them. */
    String description();

    /**
     * Measures every case on every contender that can run it.
     *
     * @param bench the run's options, contenders and log
     * @return the rows of the table
     * @throws Exception if the harness itself fails (a contender's failure becomes a row)
     */
    List<Row> run(BenchContext bench) throws Exception;
}
