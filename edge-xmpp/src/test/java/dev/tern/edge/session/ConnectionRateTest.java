package dev.tern.edge.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.edge.EdgeConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ConnectionRateTest {

  private long now = 0;

  private static InetAddress address(String ip) {
    try {
      return InetAddress.getByName(ip);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private void advanceMillis(long millis) {
    now += TimeUnit.MILLISECONDS.toNanos(millis);
  }

  private ConnectionRate defaults() {
    return new ConnectionRate(EdgeConfig.Limits.DEFAULT_CONNECTION_RATE_PER_IP,
        EdgeConfig.Limits.DEFAULT_CONNECTION_BURST_PER_IP, () -> now);
  }

  @Test
  void aLoadGeneratorsThousandLoginsFromOneAddressAreAllAdmitted() {
    // The report: 1 000 logins, 50 in flight from one address, at what one edge logs in (about
    // 160/s); a limit of 20 unauthenticated connections at a time refused 643 of them.
    ConnectionRate rate = defaults();
    InetAddress carrier = address("198.51.100.7");
    int admitted = 0;
    for (int i = 0; i < 1000; i++) {
      admitted += rate.admit(carrier) ? 1 : 0;
      advanceMillis(6); // about 160 new connections a second
    }

    assertThat(admitted).isEqualTo(1000);
  }

  @Test
  void aFloodFromOneAddressIsAdmittedOnlyAtTheRateOnceItsBurstIsSpent() {
    ConnectionRate rate = new ConnectionRate(50, 1000, () -> now);
    InetAddress flooder = address("203.0.113.9");
    for (int i = 0; i < 1000; i++) {
      assertThat(rate.admit(flooder)).isTrue();
    }
    assertThat(rate.admit(flooder)).isFalse();

    int admitted = 0;
    for (int i = 0; i < 10_000; i++) { // 10 000 attempts a second for a second
      now += 100_000;
      admitted += rate.admit(flooder) ? 1 : 0;
    }

    assertThat(admitted).isBetween(49, 50);
  }

  @Test
  void eachAddressHasItsOwnBucket() {
    ConnectionRate rate = new ConnectionRate(1, 2, () -> now);
    InetAddress one = address("192.0.2.1");
    rate.admit(one);
    rate.admit(one);

    assertThat(rate.admit(one)).isFalse();
    assertThat(rate.admit(address("192.0.2.2"))).isTrue();
    assertThat(rate.admit(address("2001:db8::1"))).isTrue();
  }

  @Test
  void anAddressWhoseBucketFilledUpAgainIsForgotten() {
    ConnectionRate rate = new ConnectionRate(10, 100, () -> now);
    rate.admit(address("192.0.2.1"));
    rate.admit(address("192.0.2.2"));
    assertThat(rate.addresses()).isEqualTo(2);
    advanceMillis(10_000); // 100 tokens at 10/s: full again

    rate.admit(address("192.0.2.3"));

    assertThat(rate.addresses()).isEqualTo(1);
  }

  @Test
  void refusalsAreLoggedAtMostOncePerIntervalUnderAFlood() {
    RefusalLog log = new RefusalLog(LoggerFactory.getLogger(ConnectionRateTest.class),
        "a new connection", "over the test's rate", java.time.Duration.ofSeconds(10), () -> now);
    InetAddress flooder = address("203.0.113.9");
    int lines = 0;
    for (int i = 0; i < 100_000; i++) { // 10 000 refusals a second for ten seconds
      lines += log.refused(flooder) ? 1 : 0;
      now += 100_000;
    }

    assertThat(lines).isEqualTo(1);
    assertThat(log.refused(flooder)).isTrue(); // ten seconds on: the next line, with the count
  }
}
