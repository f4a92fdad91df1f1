package io.github.cctv.camera;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Locale;

/**
 * How the camera checks the server on a TLS connection: the system's trust store, a CA (or the server's own
 * certificate) from a PEM file, or a pinned SHA-256 fingerprint of the server's certificate. With a trust store or a
 * CA the server's name is checked against its certificate (as a browser does); a pin names the one certificate and
 * needs no name. Made once, before the first connection, so that a bad file stops the client at start.
 */
public final class TlsSettings {

    /** Plain TCP: no TLS. */
    public static final TlsSettings OFF = new TlsSettings(null, false, "");

    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SSLContext context;
    private final boolean checkName;
    private final String describe;

    private TlsSettings(SSLContext context, boolean checkName, String describe) {
        this.context = context;
        this.checkName = checkName;
        this.describe = describe;
    }

    /** TLS, trusting the certificate authorities the JVM trusts (its cacerts). */
    public static TlsSettings systemTrust() {
        try {
            return new TlsSettings(context(defaultTrust(null)), true, "TLS, system trust store");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * TLS, trusting the certificates in a PEM file (a CA, or the server's self-signed certificate), and
     * additionally, when {@code pin} is not null, only a server certificate with that fingerprint.
     */
    public static TlsSettings of(Path caFile, String pin) {
        byte[] pinned = pin == null ? null : parsePin(pin);
        try {
            X509TrustManager chain = caFile == null ? (pinned == null ? defaultTrust(null) : null) : defaultTrust(readCa(caFile));
            X509TrustManager trust = pinned == null ? chain : new PinningTrustManager(pinned, chain);
            String what = "TLS, " + (caFile == null ? "" : "CA " + caFile + (pinned == null ? "" : " and "))
                    + (pinned == null ? "" : "pinned certificate sha256:" + HexFormat.of().formatHex(pinned));
            return new TlsSettings(context(trust), chain != null, what);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** True when connections speak TLS. */
    public boolean enabled() {
        return context != null;
    }

    /** A client engine for {@code host:port}: TLS 1.3 or 1.2, SNI and the name check where a CA decides. */
    SSLEngine engine(String host, int port) {
        SSLEngine engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters params = engine.getSSLParameters();
        params.setProtocols(PROTOCOLS);
        if (checkName) {
            params.setEndpointIdentificationAlgorithm("HTTPS");
        }
        engine.setSSLParameters(params);
        return engine;
    }

    /** For the log: how the server is checked. */
    public String describe() {
        return enabled() ? describe : "plain TCP";
    }

    /**
     * A fingerprint as {@code openssl x509 -noout -fingerprint -sha256} prints it ({@code AB:CD:…}, with or without
     * colons, {@code sha256:} or {@code SHA256 Fingerprint=} in front): the 32 bytes.
     */
    static byte[] parsePin(String pin) {
        String s = pin.trim();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("sha256 fingerprint=")) {
            s = s.substring("sha256 fingerprint=".length());
        } else if (lower.startsWith("sha256:")) {
            s = s.substring("sha256:".length());
        } else if (lower.startsWith("sha256=")) {
            s = s.substring("sha256=".length());
        }
        s = s.replace(":", "").replace(" ", "");
        if (!s.matches("[0-9A-Fa-f]{64}")) {
            throw new IllegalArgumentException("--pin must be sha256: and the 64 hex digits of the server certificate's "
                    + "SHA-256 fingerprint (openssl x509 -noout -fingerprint -sha256 -in server.crt), got '" + pin + "'");
        }
        return HexFormat.of().parseHex(s);
    }

    /** The SHA-256 of a certificate's DER bytes. */
    static byte[] fingerprint(X509Certificate cert) throws CertificateException {
        try {
            return MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new CertificateException("cannot hash the server certificate: " + e.getMessage(), e);
        }
    }

    private static KeyStore readCa(Path file) throws GeneralSecurityException {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(file)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("--ca: cannot read " + file + ": " + e.getMessage(), e);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("--ca: " + file + " holds no PEM certificate: " + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("--ca: " + file + " holds no PEM certificate");
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        int i = 0;
        for (Certificate c : certs) {
            store.setCertificateEntry("ca-" + i++, c);
        }
        return store;
    }

    /** The JDK's PKIX trust manager over {@code store}, or over the system trust store when null. */
    private static X509TrustManager defaultTrust(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    private static SSLContext context(X509TrustManager trust) throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {trust}, null);
        return ctx;
    }

    /**
     * Trusts exactly the server certificate with the pinned fingerprint (and, when a CA is given too, only if that CA
     * also vouches for it). Refusing here fails the TLS handshake, before any byte of the protocol, so the hello and
     * its token never reach a server that is not the pinned one.
     */
    private static final class PinningTrustManager extends javax.net.ssl.X509ExtendedTrustManager {

        private final byte[] pin;
        private final X509TrustManager chain;

        PinningTrustManager(byte[] pin, X509TrustManager chain) {
            this.pin = pin;
            this.chain = chain;
        }

        private void check(X509Certificate[] certs) throws CertificateException {
            if (certs == null || certs.length == 0) {
                throw new CertificateException("the server sent no certificate");
            }
            byte[] got = fingerprint(certs[0]);
            if (!MessageDigest.isEqual(got, pin)) {
                throw new CertificateException("server certificate sha256:" + HexFormat.of().formatHex(got)
                        + " does not match --pin sha256:" + HexFormat.of().formatHex(pin)
                        + " (subject " + certs[0].getSubjectX500Principal().getName() + ")");
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] certs, String authType) throws CertificateException {
            check(certs);
            if (chain != null) {
                chain.checkServerTrusted(certs, authType);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] certs, String authType, java.net.Socket socket)
                throws CertificateException {
            check(certs);
            if (chain instanceof javax.net.ssl.X509ExtendedTrustManager x) {
                x.checkServerTrusted(certs, authType, socket);
            } else if (chain != null) {
                chain.checkServerTrusted(certs, authType);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] certs, String authType, SSLEngine engine)
                throws CertificateException {
            check(certs);
            if (chain instanceof javax.net.ssl.X509ExtendedTrustManager x) {
                x.checkServerTrusted(certs, authType, engine);
            } else if (chain != null) {
                chain.checkServerTrusted(certs, authType);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] certs, String authType) throws CertificateException {
            throw new CertificateException("a camera does not authenticate clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] certs, String authType, java.net.Socket socket)
                throws CertificateException {
            checkClientTrusted(certs, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] certs, String authType, SSLEngine engine)
                throws CertificateException {
            checkClientTrusted(certs, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
