package dev.pyper.model;

/**
 * What an executor under test lets the generator use.
 *
 * @param multiprocess whether {@code multiprocess()} tasks can run (rule 1.5: they need the
 *     process executor's support on the class path)
 * @param nested whether nested pipelines bound to the executor can run inside its tasks (not in
 *     another process, where the binding is lost)
 * @param maxWorkers the most workers a task gets: 8, or fewer where each worker costs a process
 */
record Capabilities(boolean multiprocess, boolean nested, int maxWorkers) {

    /** Up to 8 workers per task. */
    Capabilities(boolean multiprocess, boolean nested) {
        this(multiprocess, nested, 8);
    }
}
