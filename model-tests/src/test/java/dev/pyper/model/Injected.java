package dev.pyper.model;

/**
 * The failures that random tasks throw on purpose: one of each kind that rule 4.1 names (checked,
 * unchecked, {@code Error}). Each carries the id of its {@link Fault}, so that a check can tell
 * which injected fault became the run's cause, and whether the model says it could fire.
 */
final class Injected {

    private Injected() {}

    /** What every injected failure has. */
    interface Failure {
        /** The id of the fault that threw this. */
        int faultId();
    }

    /** An injected checked exception. */
    static final class Checked extends Exception implements Failure {
        private static final long serialVersionUID = 1L;
        private final int faultId;

        Checked(int faultId, String message) {
            super(message);
            this.faultId = faultId;
        }

        @Override
        public int faultId() {
            return faultId;
        }
    }

    /** An injected unchecked exception. */
    static final class Unchecked extends RuntimeException implements Failure {
        private static final long serialVersionUID = 1L;
        private final int faultId;

        Unchecked(int faultId, String message) {
            super(message);
            this.faultId = faultId;
        }

        @Override
        public int faultId() {
            return faultId;
        }
    }

    /** An injected {@code Error}: stands for {@code OutOfMemoryError} and friends, without the harm. */
    static final class Fatal extends Error implements Failure {
        private static final long serialVersionUID = 1L;
        private final int faultId;

        Fatal(int faultId, String message) {
            super(message);
            this.faultId = faultId;
        }

        @Override
        public int faultId() {
            return faultId;
        }
    }
}
