/**
 * Moving accounts in and out of the vault: otpauth URI lists, Google Authenticator migration payloads, Aegis exports
 * and encrypted Countersign backups. Every importer is one class that reports what it could not carry over; nothing
 * here knows the command line, and nothing here writes the vault itself.
 */
package org.countersign.authenticator.imports;
