package org.dpacs.server.dimse;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocketFactory;

/**
 * DICOM over TLS on a second port (PS3.15 B.1, the DICOM TLS profile): the server's key and certificate from a
 * PKCS#12 (or JKS) key store. TLS 1.2 and 1.3 with the JDK's default cipher suites; no client certificates asked.
 *
 * @param port     {@code dpacs.dimse.tls.port} (2762, the port IANA registered for DICOM over TLS; 0: a free one)
 * @param keyStore {@code dpacs.dimse.tls.keystore}
 * @param password {@code dpacs.dimse.tls.keystore.password}
 */
public record DimseTls(int port, Path keyStore, String password) {

    /** Server sockets speaking TLS with this key store; fails with what is wrong with the store. */
    javax.net.ServerSocketFactory serverSocketFactory() throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance(keyStore.toFile(), password.toCharArray()); // PKCS#12 or JKS
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            SSLServerSocketFactory factory = context.getServerSocketFactory();
            return new javax.net.ServerSocketFactory() {
                @Override
                public java.net.ServerSocket createServerSocket() throws IOException {
                    javax.net.ssl.SSLServerSocket s = (javax.net.ssl.SSLServerSocket) factory.createServerSocket();
                    s.setEnabledProtocols(new String[]{"TLSv1.3", "TLSv1.2"});
                    return s;
                }

                @Override
                public java.net.ServerSocket createServerSocket(int port) throws IOException {
                    throw new UnsupportedOperationException("bound by the acceptor");
                }

                @Override
                public java.net.ServerSocket createServerSocket(int port, int backlog) throws IOException {
                    throw new UnsupportedOperationException("bound by the acceptor");
                }

                @Override
                public java.net.ServerSocket createServerSocket(int port, int backlog, java.net.InetAddress address)
                        throws IOException {
                    throw new UnsupportedOperationException("bound by the acceptor");
                }
            };
        } catch (GeneralSecurityException e) {
            throw new IOException("The DIMSE TLS key store " + keyStore + " cannot be used (" + e.getMessage()
                    + "); check dpacs.dimse.tls.keystore and dpacs.dimse.tls.keystore.password", e);
        }
    }
}
