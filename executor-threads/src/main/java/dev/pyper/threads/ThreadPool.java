package dev.pyper.threads;

import dev.pyper.engine.WorkerLauncher;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Platform threads for workers: a new thread whenever none is idle, so that every task gets all
 * of its workers (rule 2.9), and a bounded number of idle threads kept warm for later runs
 * (rule 4.5).
 *
 * <h2>States of a thread</h2>
 * <b>busy</b> running a worker, named after it ({@code pyper-<task>-<n>}); then <b>idle</b>, in
 * {@code idle}, named {@code pyper-threads-idle}, parked until {@link #launch} hands it a job or
 * the keep-alive runs out; then <b>gone</b>. A thread finding more than {@code maxIdle} idle
 * threads, or the pool closed, goes at once.
 *
 * <h2>Threads</h2>
 * {@code idle}, {@code all}, {@code closed} and each thread's {@code job} are guarded by
 * {@code lock}. A job is handed over by setting it under the lock, then unparking the thread
 * (a permit given before the thread parks is not lost).
 */
final class ThreadPool implements WorkerLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(ThreadPool.class);
    private static final String IDLE_NAME = "pyper-threads-idle";

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition allGone = lock.newCondition();
    private final ArrayDeque<PooledThread> idle = new ArrayDeque<>();
    private final Set<PooledThread> all = new HashSet<>();
    private final int maxIdle;
    private final long keepAliveNanos;
    private boolean closed;

    ThreadPool(int maxIdle, long keepAliveNanos) {
        this.maxIdle = maxIdle;
        this.keepAliveNanos = keepAliveNanos;
    }

    @Override
    public void launch(String name, Runnable body) {
        PooledThread thread;
        boolean fresh = false;
        lock.lock();
        try {
            if (closed) {
                throw new RejectedExecutionException("the threads executor is closed");
            }
            thread = idle.pollLast(); // the most recently used: its caches are warm
            if (thread == null) {
                thread = new PooledThread();
                all.add(thread);
                fresh = true;
            }
            thread.job = body;
            thread.jobName = name;
        } finally {
            lock.unlock();
        }
        if (fresh) {
            try {
                thread.start();
            } catch (OutOfMemoryError | RuntimeException e) {
                gone(thread);
                throw e;
            }
        } else {
            LockSupport.unpark(thread);
        }
    }

    /** The threads alive now, busy or idle. */
    int size() {
        lock.lock();
        try {
            return all.size();
        } finally {
            lock.unlock();
        }
    }

    /** Ends idle threads now and busy ones when their worker ends; returns when all have gone. */
    void close() {
        lock.lock();
        try {
            closed = true;
            for (PooledThread t : idle) {
                LockSupport.unpark(t);
            }
            long warnAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            boolean warned = false;
            while (!all.isEmpty()) {
                if (warned) {
                    allGone.awaitUninterruptibly();
                } else {
                    try {
                        allGone.awaitNanos(warnAt - System.nanoTime());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return; // the caller asked to stop waiting; the threads still end by themselves
                    }
                    if (!all.isEmpty() && System.nanoTime() - warnAt >= 0) {
                        warned = true;
                        LOG.warn(
                                "Closing the threads executor: still waiting for {} thread(s): {}",
                                all.size(),
                                all.stream().map(Thread::getName).toList());
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void gone(PooledThread thread) {
        lock.lock();
        try {
            idle.remove(thread);
            all.remove(thread);
            if (all.isEmpty()) {
                allGone.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private final class PooledThread extends Thread {
        private Runnable job;
        private String jobName;

        PooledThread() {
            super(IDLE_NAME);
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                Runnable next = takeJob();
                while (next != null) {
                    try {
                        next.run();
                    } catch (Throwable t) {
                        LOG.error("A pipeline worker ended with an unexpected exception", t);
                    }
                    setName(IDLE_NAME);
                    Thread.interrupted();
                    next = awaitJob();
                }
            } finally {
                gone(this);
            }
        }

        private Runnable takeJob() {
            lock.lock();
            try {
                Runnable next = job;
                job = null;
                if (next != null) {
                    setName(jobName);
                }
                return next;
            } finally {
                lock.unlock();
            }
        }

        /** Waits idle for the next job; null when the thread should go. */
        private Runnable awaitJob() {
            lock.lock();
            try {
                if (closed || idle.size() >= maxIdle) {
                    return null;
                }
                idle.addLast(this);
            } finally {
                lock.unlock();
            }
            long deadline = System.nanoTime() + keepAliveNanos;
            while (true) {
                lock.lock();
                try {
                    if (job != null) {
                        Runnable next = job;
                        job = null;
                        setName(jobName);
                        return next;
                    }
                    if (closed || System.nanoTime() - deadline >= 0) {
                        idle.remove(this);
                        return null;
                    }
                } finally {
                    lock.unlock();
                }
                LockSupport.parkNanos(this, deadline - System.nanoTime());
            }
        }
    }
}
