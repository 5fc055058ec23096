package dev.pyper.model;

/**
 * What an executor under test lets the generator use.
 *
 * @param multiprocess whether {@code multiprocess()} tasks can run (rule 1.5: they need the
 *     process executor's support on the class path)
 * @param nested whether nested pipelines bound to the executor can run inside its tasks (not in
 *     another process, where the binding is lost)
 */
record Capabilities(boolean multiprocess, boolean nested) {
}
