/**
 * The service's own pages (docs/web-sessions.md): the static files of {@code /sign-in} and {@code /my/security-info},
 * the {@code /web} endpoints their scripts call, and the cookies that carry a page's session. Delegates every
 * decision to {@code signin}; knows HTTP and cookies, never SQL.
 */
package org.countersign.push.web;
