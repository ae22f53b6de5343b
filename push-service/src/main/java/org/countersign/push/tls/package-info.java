/** HTTPS for the service: its TLS key and certificate, from PEM files or self-signed, and the pin devices check. */
package org.countersign.push.tls;
