/**
 * The function types that tasks are made of: serializable functional interfaces whose methods may
 * throw checked exceptions, so that lambdas and method references work unchanged in threads,
 * processes and on a cluster (rule 1.6).
 */
package dev.pyper.function;
