/**
 * Push channels (ARCHITECTURE.md §3.3): the WebSocket endpoint with its challenge-response login, the registry of
 * the channels this node holds, and the keepalive that closes dead ones. Decisions are the signin package's.
 */
package org.countersign.push.channel;
