package dev.tern.edge.fast;

import dev.tern.edge.sasl.ChannelBinding;
import dev.tern.edge.sasl.SaslContext;
import dev.tern.edge.sasl.SaslServer;
import dev.tern.edge.sasl.SaslStep;
import dev.tern.storage.accounts.Account;
import dev.tern.storage.accounts.InMemoryAccountStore;
import dev.tern.storage.fast.FastToken;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Streams, a clock and the client side of HT, shared by the FAST tests. */
final class FastFixtures {

  static final String DOMAIN = "example.com";
  static final String PHONE = "d4565fa7-4d72-4749-b3d3-740edbf87770";
  static final String LAPTOP = "0b1c6f1e-2a3b-4c5d-8e9f-a0b1c2d3e4f5";
  static final byte[] EXPORTER = utf8("32 bytes of tls-exporter output!");
  static final byte[] END_POINT = utf8("SHA-256 of the server certificat");
  static final byte[] UNIQUE = utf8("tls-unique: the first Finished");
  static final Instant START = Instant.parse("2025-05-01T12:00:00Z");

  static final SaslContext CLEAR = new SaslContext(false, List.of(), DOMAIN);
  static final SaslContext TLS = new SaslContext(true, List.of(), DOMAIN);
  static final SaslContext TLS_WITH_BINDINGS = new SaslContext(true, List.of(
      new ChannelBinding(ChannelBinding.TLS_EXPORTER, EXPORTER),
      new ChannelBinding(ChannelBinding.TLS_SERVER_END_POINT, END_POINT),
      new ChannelBinding("tls-unique", UNIQUE)), DOMAIN);

  private FastFixtures() {}

  /** Accounts for juliet and romeo, registered more than a token lifetime before {@link #START}. */
  static InMemoryAccountStore accounts() {
    InMemoryAccountStore accounts = new InMemoryAccountStore();
    for (String user : List.of("juliet", "romeo")) {
      join(accounts.create(new Account(user, START.minus(Duration.ofDays(400)), Map.of())));
    }
    return accounts;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static <T> T join(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the stage did not complete", e);
    }
  }

  /** The channel-binding data the client sees for {@code mechanism} on TLS_WITH_BINDINGS. */
  static byte[] cbData(HtMechanism mechanism) {
    return switch (mechanism) {
      case NONE -> new byte[0];
      case UNIQ -> UNIQUE;
      case ENDP -> END_POINT;
      case EXPR -> EXPORTER;
    };
  }

  /** HMAC-SHA-256(key, label || cbData), computed here with the JDK, not by the server code. */
  static byte[] hmac(byte[] key, String label, byte[] cbData) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(label.getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal(cbData);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The client's initial response: authcid NUL HMAC(token, "Initiator" || cb-data). */
  static byte[] initiator(String authcid, String tokenText, byte[] cbData) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(utf8(authcid));
    out.write(0);
    out.writeBytes(hmac(utf8(tokenText), "Initiator", cbData));
    return out.toByteArray();
  }

  /** The token text a client received, from the token the server stored. */
  static String text(FastToken token) {
    return new String(token.secret(), StandardCharsets.UTF_8);
  }

  static SaslStep run(SaslServer server, byte[] initialResponse) {
    return join(server.start(initialResponse));
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
