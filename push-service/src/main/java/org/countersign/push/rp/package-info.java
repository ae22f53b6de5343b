/**
 * The second-factor API for relying parties (applications that check passwords themselves): client administration,
 * client authentication, per-client rate limits and checks, which are sign-in challenges started without a password.
 * It knows nothing of HTTP; the routes live in {@code http.RpRoutes}.
 */
package org.countersign.push.rp;
