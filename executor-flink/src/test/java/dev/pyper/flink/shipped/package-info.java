/**
 * The application of the standalone-cluster tests: functions that the cluster knows only from the
 * jar the executor ships ({@code target/standalone-cluster/shipped-app.jar}, built by the scale
 * profile with Pyper beside them). Nothing here may use a class of the tests outside this package,
 * nor a lambda of theirs: the cluster would not find it.
 */
package dev.pyper.flink.shipped;
