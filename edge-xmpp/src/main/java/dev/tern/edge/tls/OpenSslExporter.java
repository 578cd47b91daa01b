package dev.tern.edge.tls;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.internal.tcnative.KeyLogCallback;
import io.netty.internal.tcnative.SSL;
import io.netty.internal.tcnative.SSLContext;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLEngine;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tls-exporter} channel bindings (RFC 9266) of BoringSSL connections. netty-tcnative has no
 * keying-material exporter, but it passes on BoringSSL's key log (the NSS key log format, one
 * {@code LABEL client_random secret} line per secret as the handshake derives it). Of those lines
 * this class reads only {@code EXPORTER_SECRET} (TLS 1.3's {@code exporter_master_secret}),
 * derives the 32-byte binding from it at once (RFC 8446 §7.5) and forgets the secret; nothing is
 * written anywhere. TLS 1.2 connections get no {@code tls-exporter} here (RFC 9266 §3 allows it
 * there only with the extended master secret, which the key log does not tell).
 *
 * <p>Bindings are kept by the native {@code SSL} pointer of the engine, from the handshake until
 * the stream authenticates ({@link #forget}) or the connection closes: {@link #track} must be
 * called for each connection whose engine comes from an installed context, before its handshake
 * starts.
 */
public final class OpenSslExporter {

  private static final Logger LOG = LoggerFactory.getLogger(OpenSslExporter.class);

  private static final String EXPORTER_SECRET = "EXPORTER_SECRET ";
  private static final byte[] CHANNEL_BINDING_LABEL = "EXPORTER-Channel-Binding".getBytes(US_ASCII);

  private static final Map<Long, byte[]> BINDINGS = new ConcurrentHashMap<>();

  private OpenSslExporter() {}

  /**
   * Lets connections of {@code context} have {@code tls-exporter}; answers whether they will.
   * Does nothing for contexts of other providers.
   */
  static boolean install(SslContext context) {
    requireNonNull(context, "context");
    if (!(context instanceof ReferenceCountedOpenSslContext)) {
      return false;
    }
    long ctx;
    try {
      // netty-tcnative's own context structure, which its SSLContext calls take; Netty keeps it in
      // a protected field and hands out only the BoringSSL SSL_CTX behind it (sslCtxPointer()).
      Field field = ReferenceCountedOpenSslContext.class.getDeclaredField("ctx");
      field.setAccessible(true);
      ctx = field.getLong(context);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("tls-exporter is not offered: cannot reach netty-tcnative's context ({})",
          e.toString());
      return false;
    }
    return ctx != 0 && SSLContext.setKeyLogCallback(ctx, KeyLog.INSTANCE);
  }

  /**
   * Starts keeping the binding of {@code handler}'s connection, and drops it when {@code channel}
   * closes (before the engine frees its {@code SSL}, whose address may then be reused).
   */
  public static void track(Channel channel, SslHandler handler) {
    requireNonNull(channel, "channel");
    requireNonNull(handler, "handler");
    long ssl = sslPointer(handler.engine());
    if (ssl != 0) {
      BINDINGS.remove(ssl); // of an earlier connection whose SSL lived at the same address
      channel.closeFuture().addListener(f -> BINDINGS.remove(ssl));
    }
  }

  /**
   * Drops the binding of {@code handler}'s connection before it closes, once nothing can ask for
   * it again: a stream authenticates once (RFC 6120 §6.4.7), and SCRAM-PLUS is its only user.
   */
  public static void forget(SslHandler handler) {
    requireNonNull(handler, "handler");
    long ssl = sslPointer(handler.engine());
    if (ssl != 0) {
      BINDINGS.remove(ssl);
    }
  }

  /** The binding of a completed TLS 1.3 handshake on a BoringSSL engine, else empty. */
  static Optional<byte[]> tlsExporter(SSLEngine engine) {
    long ssl = sslPointer(engine);
    if (ssl == 0 || !"TLSv1.3".equals(engine.getSession().getProtocol())) {
      return Optional.empty();
    }
    byte[] binding = BINDINGS.get(ssl);
    return binding == null ? Optional.empty() : Optional.of(binding.clone());
  }

  /** The native {@code SSL} a BoringSSL engine holds, the key of its binding; else 0. */
  private static long sslPointer(SSLEngine engine) {
    return engine instanceof ReferenceCountedOpenSslEngine openSsl ? openSsl.sslPointer() : 0;
  }

  /** How many bindings are kept; for tests. */
  static int kept() {
    return BINDINGS.size();
  }

  /**
   * TLS-Exporter(label, context, length) of RFC 8446 §7.5: HKDF-Expand-Label(Derive-Secret(secret,
   * label, ""), "exporter", Hash(context), length), with the handshake's hash function.
   */
  static byte[] export(byte[] exporterSecret, boolean sha384, byte[] label, byte[] context,
      int length) {
    Digest hash = sha384 ? new SHA384Digest() : new SHA256Digest();
    byte[] derived = expandLabel(sha384, exporterSecret, label, digest(hash, new byte[0]),
        hash.getDigestSize());
    try {
      return expandLabel(sha384, derived, "exporter".getBytes(US_ASCII), digest(hash, context),
          length);
    } finally {
      Arrays.fill(derived, (byte) 0);
    }
  }

  /** HKDF-Expand-Label of RFC 8446 §7.1. */
  private static byte[] expandLabel(boolean sha384, byte[] secret, byte[] label, byte[] context,
      int length) {
    ByteArrayOutputStream info = new ByteArrayOutputStream();
    info.write(length >>> 8);
    info.write(length);
    byte[] full = ("tls13 " + new String(label, US_ASCII)).getBytes(US_ASCII);
    info.write(full.length);
    info.writeBytes(full);
    info.write(context.length);
    info.writeBytes(context);
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(sha384 ? new SHA384Digest() : new SHA256Digest());
    hkdf.init(HKDFParameters.skipExtractParameters(secret, info.toByteArray()));
    byte[] out = new byte[length];
    hkdf.generateBytes(out, 0, length);
    return out;
  }

  private static byte[] digest(Digest hash, byte[] input) {
    hash.reset();
    hash.update(input, 0, input.length);
    byte[] out = new byte[hash.getDigestSize()];
    hash.doFinal(out, 0);
    return out;
  }

  /** Called by BoringSSL on the event loop running the handshake, once per derived secret. */
  private enum KeyLog implements KeyLogCallback {
    INSTANCE;

    @Override
    public void handle(long ssl, byte[] line) {
      String text = new String(line, US_ASCII).trim();
      if (!text.startsWith(EXPORTER_SECRET)) {
        return; // handshake and traffic secrets are never kept
      }
      String[] fields = text.split(" ");
      if (fields.length != 3) {
        return;
      }
      byte[] secret = HexFormat.of().parseHex(fields[2]);
      try {
        String cipher = SSL.getCipherForSSL(ssl);
        boolean sha384 = cipher != null && cipher.endsWith("SHA384");
        BINDINGS.put(ssl, export(secret, sha384, CHANNEL_BINDING_LABEL, new byte[0],
            ChannelBindings.TLS_EXPORTER_LENGTH));
      } finally {
        Arrays.fill(secret, (byte) 0);
      }
    }
  }
}
