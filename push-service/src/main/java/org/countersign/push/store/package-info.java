/**
 * PostgreSQL repositories: all SQL of the service lives here (and in the migrations). Each method takes the
 * {@code SqlClient} it runs on, so services decide what is one transaction.
 */
package org.countersign.push.store;
