/**
 * What admins (and people, for their own devices) do to accounts: users and their per-user MFA state, devices
 * and lost-device removal, the bootstrap admin, service settings, Conditional Access policies, manage-user-settings
 * actions, bulk CSV updates, app passwords and the activity export. Every action is audited.
 */
package org.countersign.push.admin;
