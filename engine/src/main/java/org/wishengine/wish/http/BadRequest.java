package org.wishengine.wish.http;

/** A request body or parameter the API refuses with 400 {@code invalid_request}; names the field. */
final class BadRequest extends Exception {

    private final String field;

    BadRequest(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    String field() {
        return field;
    }
}
