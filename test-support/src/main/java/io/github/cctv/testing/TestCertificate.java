package io.github.cctv.testing;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate and its key made by {@code openssl} at test time in a temporary folder (no key is ever
 * kept in the repository), as the launcher makes one: RSA 2048, subject alternative names {@code DNS:localhost} and
 * {@code IP:127.0.0.1} unless others are asked for.
 */
public record TestCertificate(Path cert, Path key, X509Certificate x509) {

    /** A certificate for {@code localhost} and {@code 127.0.0.1}. */
    public static TestCertificate localhost() {
        return make("CCTV test", "DNS:localhost,IP:127.0.0.1");
    }

    /** A certificate with the subject alternative names {@code san} ({@code DNS:…,IP:…}). */
    public static TestCertificate make(String commonName, String san) {
        try {
            Path dir = Files.createTempDirectory("cctv-test-tls-");
            dir.toFile().deleteOnExit();
            Path cert = dir.resolve("server.crt");
            Path key = dir.resolve("server.key");
            Process p = new ProcessBuilder(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                    "-days", "2", "-subj", "/CN=" + commonName, "-addext", "subjectAltName=" + san,
                    "-keyout", key.toString(), "-out", cert.toString()))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("openssl could not make a test certificate: "
                        + Files.readString(dir.resolve("openssl.log")));
            }
            cert.toFile().deleteOnExit();
            key.toFile().deleteOnExit();
            dir.resolve("openssl.log").toFile().deleteOnExit();
            return new TestCertificate(cert, key, read(cert));
        } catch (IOException e) {
            throw new IllegalStateException("openssl is needed to make test certificates (Debian: apt-get install -y openssl)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The SHA-256 of the DER certificate in lower-case hex without colons. */
    public String sha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(x509.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What {@code openssl x509 -noout -fingerprint -sha256} prints after the {@code =}: upper-case hex, colon-separated. */
    public String opensslFingerprint() {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(HexFormat.of().parseHex(sha256()));
    }

    /** A TLS client context that trusts this certificate only. */
    public SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("server", x509);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A TLS server context presenting this certificate with its key (PKCS#8, as openssl writes it). */
    public SSLContext serverContext() {
        try {
            String pem = Files.readString(key);
            if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
                throw new IllegalStateException("expected a PKCS#8 key from openssl in " + key);
            }
            String body = pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27, pem.indexOf("-----END PRIVATE KEY-----"))
                    .replaceAll("\\s", "");
            java.security.PrivateKey pk = java.security.KeyFactory.getInstance("RSA")
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(java.util.Base64.getDecoder().decode(body)));
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", pk, new char[0], new java.security.cert.Certificate[] {x509});
            javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                    javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate read(Path cert) throws IOException {
        try (InputStream in = Files.newInputStream(cert)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (GeneralSecurityException e) {
            throw new IOException("not a certificate: " + cert, e);
        }
    }
}
