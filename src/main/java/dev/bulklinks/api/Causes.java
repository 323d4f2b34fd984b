package dev.bulklinks.api;

/** Looks through an exception's chain of causes. */
public final class Causes {

    private Causes() {
    }

    /** The first of {@code e} and its causes that is a {@code type}, or null when none is. */
    public static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
