/**
 * The database foundation: connection settings, the embedded PostgreSQL launcher, schema migrations and the
 * connection pool. It knows nothing of the service's domain; SQL of the domain lives in {@code store}.
 */
package org.countersign.push.db;
