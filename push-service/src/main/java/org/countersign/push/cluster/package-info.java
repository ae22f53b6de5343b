/**
 * Many nodes on one PostgreSQL (ARCHITECTURE.md §6): the bus that tells other nodes what this one cannot do itself
 * (deliver to a channel held elsewhere, wake waiters elsewhere, close a removed device's channel elsewhere), over
 * LISTEN/NOTIFY, always after the business transaction committed. Knows channels and waiters, not HTTP.
 */
package org.countersign.push.cluster;
