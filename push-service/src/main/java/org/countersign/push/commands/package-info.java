/** Maintenance subcommands of {@code push-service.jar}: audit chain verification and secret key rotation. */
package org.countersign.push.commands;
