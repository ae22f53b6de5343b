/** The activity log: every sign-in, MFA result, registration, device removal and admin action is recorded here. */
package org.countersign.push.audit;
