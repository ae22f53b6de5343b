package org.countersign.push.fuzz;

import java.util.Map;

/**
 * One generated request: the endpoint it aims at, what is actually sent, and which credentials it carries (so the
 * summary can tell authenticated from anonymous attempts).
 */
record FuzzRequest(Endpoint endpoint, String method, String pathAndQuery, Map<String, String> headers, byte[] body,
                   Credentials.Kind credentials) {
}
