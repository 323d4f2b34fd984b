package dev.bulklinks.dialect.ayon;

import jakarta.enterprise.context.RequestScoped;

/**
 * Set while a request of AYON's bulk route stores its job, so that {@link AyonEvents} marks that job in the
 * same transaction: the intake stays the one it is for every bulk route, and knows no dialect.
 */
@RequestScoped
class AyonBulkRequest {

    private boolean on;

    void on() {
        on = true;
    }

    boolean isOn() {
        return on;
    }
}
