/**
 * The HTTP API (ARCHITECTURE.md §8): one router file per area, thin handlers that validate input and delegate,
 * and one failure handler that turns every error into {@code {"error","message"}}.
 */
package org.countersign.push.http;
