/**
 * The service's domain values (users, devices, sign-ins, sessions, settings) as immutable records and
 * enums; no I/O, no Vert.x, no SQL.
 */
package org.countersign.push.domain;
