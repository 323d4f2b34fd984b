package dev.bulklinks.progress.socketio;

import dev.bulklinks.auth.Caller;
import dev.bulklinks.progress.Subscription;
import dev.bulklinks.progress.SyncQuery;

/**
 * A socket whose {@code CONNECT} was authorized, before it connects: its stream of the feed is open
 * (live items wait in it) and catches up with the stored items {@code query} wants once the socket is
 * connected.
 *
 * @param token the JWT the client connected with
 * @param query the items it gets: of the projects it may see, after its cursors
 */
record Accepted(String token, Caller caller, SyncQuery query, SyncSink sink, Subscription subscription) {
}
