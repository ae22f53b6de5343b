/**
 * What admins (and people, for their own devices) do to accounts: users and their per-user MFA state, devices
 * and lost-device removal, the bootstrap admin. Every action is audited.
 */
package org.countersign.push.admin;
