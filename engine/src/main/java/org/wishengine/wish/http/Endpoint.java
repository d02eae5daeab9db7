package org.wishengine.wish.http;

/**
 * What one route does: turns a routed, authenticated request into a command for the ring or an
 * answer. Runs on the event loop and must not block; a {@link BadRequest} becomes a 400.
 */
@FunctionalInterface
interface Endpoint {

    Action handle(ApiRequest request) throws BadRequest;
}
