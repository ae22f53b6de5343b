/**
 * Reads QR codes from image files, the screen and the clipboard, and classifies what they say (an enrollment URI or
 * an otpauth URI). Knows nothing of the vault or the network.
 */
package org.countersign.authenticator.scan;
