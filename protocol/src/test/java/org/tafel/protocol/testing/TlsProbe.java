package org.tafel.protocol.testing;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** For tests of TLS listeners with self-signed certificates: trust anything, see what is served. */
public final class TlsProbe {
  private TlsProbe() {}

  /** A client context that accepts every certificate (tests only). */
  public static SSLContext trustAll() throws GeneralSecurityException {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(
        null,
        new TrustManager[] {
          new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] c, String a) {}

            @Override
            public void checkServerTrusted(X509Certificate[] c, String a) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
              return new X509Certificate[0];
            }
          }
        },
        null);
    return ctx;
  }

  /** The serial number of the certificate a TLS listener on loopback {@code port} presents. */
  public static BigInteger servedSerial(int port) throws Exception {
    try (SSLSocket s =
        (SSLSocket)
            trustAll().getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
      s.startHandshake();
      return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
  }
}
