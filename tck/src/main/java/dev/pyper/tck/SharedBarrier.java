package dev.pyper.tck;

import java.io.Serializable;
import java.util.concurrent.TimeoutException;

/**
 * A one-time barrier for {@code parties} invocations that a test shares with its functions even
 * when they run in other processes of this machine (section 6): each party that arrives waits
 * until all have arrived. The kit's {@code CyclicBarrier}, used once.
 */
public final class SharedBarrier implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int parties;
    private final SharedLatch arrived;

    /**
     * A barrier for {@code parties}.
     *
     * @param parties at least 1
     * @throws IllegalArgumentException if {@code parties < 1}
     */
    public SharedBarrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("parties must be 1 or more, was " + parties);
        }
        this.parties = parties;
        this.arrived = new SharedLatch(parties);
    }

    /**
     * Arrives, then waits until every party has arrived, bounded by {@link Tck#timeout()}.
     *
     * @throws TimeoutException if the others did not all come in time
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public void arriveAndAwait() throws TimeoutException, InterruptedException {
        arrived.countDown();
        if (!arrived.await(Tck.timeout())) {
            throw new TimeoutException("only " + (parties - arrived.getCount()) + " of " + parties
                    + " parties arrived within " + Tck.timeout());
        }
    }

    @Override
    public String toString() {
        return "SharedBarrier[" + (parties - arrived.getCount()) + " of " + parties + " arrived]";
    }
}
