/**
 * The process executor: task invocations in worker JVMs, for {@code multiprocess} tasks under any
 * executor and for every task under {@link dev.pyper.process.ProcessExecutor} (section 6).
 *
 * <p>Parent side: {@code WorkerPool} starts and keeps worker processes,
 * {@code ProcessInvoker} runs one engine worker's invocations in one of them. Worker side:
 * {@link dev.pyper.process.WorkerMain} and {@code WorkerSession}. Between them: {@code Link}
 * (a Unix-domain socket) carrying frames ({@code FrameType}, {@code FrameOut}, {@code FrameIn}).
 */
package dev.pyper.process;
