package org.countersign.push.tls;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;

/** Checks the TLS flags of the command line together and turns them into the service's {@link TlsIdentity}. */
public final class TlsOptions {
    private TlsOptions() {
    }

    /** Whether TLS is asked for; refuses half or conflicting flags with a message naming them. */
    public static boolean wanted(Path cert, Path key, boolean selfSigned) {
        if (selfSigned && (cert != null || key != null)) {
            throw new IllegalArgumentException("--tls-self-signed cannot be combined with --tls-cert/--tls-key");
        }
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException(cert == null ? "--tls-key needs --tls-cert" : "--tls-cert needs --tls-key");
        }
        return selfSigned || cert != null;
    }

    public static TlsIdentity identity(Path cert, Path key, Path dataDir, URI publicUrl) throws IOException {
        if (!"https".equals(publicUrl.getScheme())) {
            throw new IllegalArgumentException("with TLS on, --public-url must be https://, was " + publicUrl);
        }
        if (cert != null) {
            return TlsFiles.load(cert, key);
        }
        if (publicUrl.getHost() == null) {
            throw new IllegalArgumentException("--public-url has no host to make a certificate for: " + publicUrl);
        }
        return SelfSignedTls.loadOrCreate(dataDir, publicUrl.getHost(), new SecureRandom());
    }
}
