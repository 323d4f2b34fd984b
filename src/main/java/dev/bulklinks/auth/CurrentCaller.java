package dev.bulklinks.auth;

import jakarta.enterprise.context.RequestScoped;

/** The caller of the current request, set by {@link AuthFilter} once its token is verified. */
@RequestScoped
public class CurrentCaller {

    private Caller caller;

    void set(Caller caller) {
        this.caller = caller;
    }

    /** The caller; every /api and /sync route but {@code POST /api/auth} has one. */
    public Caller get() {
        if (caller == null) {
            throw new IllegalStateException("no caller: the route is not behind the auth filter");
        }
        return caller;
    }
}
