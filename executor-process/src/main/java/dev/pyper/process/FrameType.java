package dev.pyper.process;

/**
 * The kinds of frame that the parent and a worker process exchange over their private link.
 *
 * <h2>The conversation</h2>
 * Strictly request and reply, so that each side has at most one thing to wait for:
 * <pre>
 *   parent                         worker
 *   LOAD(name, kind, acks, fn) ──▶
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
 * JOIN or LOAD. Any other end of a conversation (the parent stopped waiting, the link broke)
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

    private FrameType() {
    }

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
            default -> "unknown frame type " + type;
        };
    }
}
