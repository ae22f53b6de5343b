/**
 * Sign-in policy and the challenge state machine: password check, who must use MFA, number matching, push and
 * TOTP answers, long-poll results and sessions. Knows the store, never HTTP.
 */
package org.countersign.push.signin;
