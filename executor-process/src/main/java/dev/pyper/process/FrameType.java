package dev.pyper.process;

/**
 * The kinds of frame that the parent and a worker process exchange over their private link.
 *
 * <h2>The conversation</h2>
 * Strictly request and reply, so that each side has at most one thing to wait for:
 * <pre>
 *   parent                         worker
 *   LOAD(name, kind, acks, fn, ──▶                   the run's context, restored around each invocation
 *        context)                                    until the next LOAD or RELEASE (rule 8.8)
 *                              ◀── READY | FAILED
 *   CALL(input) ──────────────▶                      one invocation of a plain, branch or generator task
 *                              ◀── OUTPUT(v)  ─ACK─▶ (an ACK only when the task is throttled)
 *                              ◀── RESULT(v) | DONE | FAILED
 *   JOIN ─────────────────────▶                      one invocation of a join task
 *                              ◀── PULL
 *   ITEM(v) | END ────────────▶                      (the next input, read from the stream only now)
 *                              ◀── OUTPUT(v) … RESULT(v) | DONE | FAILED
 * </pre>
 * A worker that has answered RESULT, DONE or FAILED is idle again and may take the next CALL,
 * JOIN or LOAD. The parent may send several CALLs before their answers (calls sent ahead); the
 * worker answers them one after the other, in order.
 *
 * <p>Numbering and skipping: both sides count the CALL and JOIN frames of a worker's life. On the
 * separate control connection the parent asks to interrupt invocation n (or a later one, if n has
 * ended), after which the worker answers SKIPPED to every CALL numbered n or more without invoking
 * it; after a FAILED answer it does the same for the calls after the failed one. RESUME (no reply)
 * ends the skipping and makes requests for earlier numbers void; so does LOAD. Any other end of a conversation (the parent stopped waiting, the link broke)
 * leaves the worker in an unknown state, and the parent kills it. RELEASE (no reply) tells an
 * idle worker that it went back to the pool, where it ends by itself after its idle timeout.
 */
final class FrameType {

    static final byte LOAD = 1;
    static final byte READY = 2;
    static final byte CALL = 3;
    static final byte JOIN = 4;
    static final byte OUTPUT = 5;
    static final byte ACK = 6;
    static final byte RESULT = 7;
    static final byte DONE = 8;
    static final byte FAILED = 9;
    static final byte PULL = 10;
    static final byte ITEM = 11;
    static final byte END = 12;
    static final byte RELEASE = 13;
    static final byte SKIPPED = 14;
    static final byte RESUME = 15;

    private FrameType() {}

    static String name(byte type) {
        return switch (type) {
            case LOAD -> "LOAD";
            case READY -> "READY";
            case CALL -> "CALL";
            case JOIN -> "JOIN";
            case OUTPUT -> "OUTPUT";
            case ACK -> "ACK";
            case RESULT -> "RESULT";
            case DONE -> "DONE";
            case FAILED -> "FAILED";
            case PULL -> "PULL";
            case ITEM -> "ITEM";
            case END -> "END";
            case RELEASE -> "RELEASE";
            case SKIPPED -> "SKIPPED";
            case RESUME -> "RESUME";
            default -> "unknown frame type " + type;
        };
    }
}
