package dev.bulklinks.progress.socketio;

import dev.bulklinks.auth.Caller;
import dev.bulklinks.progress.Subscription;
import java.util.Set;

/**
 * A socket whose {@code CONNECT} was authorized, before it connects: its stream of the feed is open
 * (live items wait in it) and starts with the items after {@code start} once the socket is connected.
 *
 * @param token the JWT the client connected with
 * @param visible the projects whose items it gets; null for all (an admin)
 */
record Accepted(String token, Caller caller, Set<String> visible, long start, SyncSink sink,
        Subscription subscription) {
}
