package dev.tern.edge.bind2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.xmpp.jid.Jid;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The resource rule of Bind 2 (XEP-0386 §3.2.1). */
class Bind2ResourcesTest {

  private static final byte[] KEY =
      "a key of thirty-two bytes, exact".getBytes(StandardCharsets.US_ASCII);
  private static final String PHONE = "d4565fa7-4d72-4749-b3d3-740edbf87770";
  private static final String LAPTOP = "0b1c6f1e-2a3b-4c5d-8e9f-a0b1c2d3e4f5";

  private final Bind2Resources resources = Bind2Resources.of(KEY);

  /** The documented derivation, computed here with BigInteger for the base32. */
  private static String expectedSuffix(String username, String id) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
    byte[] digest = mac.doFinal(("bind2-resource\0" + username + "\0" + id)
        .getBytes(StandardCharsets.UTF_8));
    BigInteger first40Bits = new BigInteger(1, Arrays.copyOf(digest, 5));
    String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    StringBuilder out = new StringBuilder();
    for (int i = 7; i >= 0; i--) {
      out.append(alphabet.charAt(first40Bits.shiftRight(5 * i).intValue() & 31));
    }
    return out.toString();
  }

  @Test
  void theResourceIsTheTagASlashAndTheDocumentedSuffix() throws Exception {
    String resource = resources.resource("juliet", Optional.of("AwesomeXMPP"), Optional.of(PHONE));

    assertThat(resource).isEqualTo("AwesomeXMPP/" + expectedSuffix("juliet", PHONE))
        .matches("AwesomeXMPP/[a-z2-7]{8}");
  }

  @Test
  void theSameDeviceGetsTheSameResourceEveryTimeAndAtEveryEdge() {
    String first = resources.resource("juliet", Optional.of("AwesomeXMPP"), Optional.of(PHONE));
    String again = Bind2Resources.of(KEY)
        .resource("juliet", Optional.of("AwesomeXMPP"), Optional.of(PHONE.toUpperCase()));

    assertThat(again).isEqualTo(first);
  }

  @Test
  void anotherDeviceOrAnotherAccountGetsAnotherSuffix() {
    String phone = resources.resource("juliet", Optional.empty(), Optional.of(PHONE));
    String laptop = resources.resource("juliet", Optional.empty(), Optional.of(LAPTOP));
    String otherAccount = resources.resource("romeo", Optional.empty(), Optional.of(PHONE));
    String otherKey = Bind2Resources.of("another key of thirty-two bytes!".getBytes(
        StandardCharsets.US_ASCII)).resource("juliet", Optional.empty(), Optional.of(PHONE));

    assertThat(Set.of(phone, laptop, otherAccount, otherKey)).hasSize(4);
  }

  @Test
  void theUserAgentIdDoesNotAppearInTheResource() {
    String resource = resources.resource("juliet", Optional.of("x"), Optional.of(PHONE));

    assertThat(resource).doesNotContain("d4565fa7").doesNotContain("740edbf87770");
  }

  @Test
  void withoutAUserAgentTheSuffixIsRandom() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      String r = resources.resource("juliet", Optional.empty(), Optional.empty());
      assertThat(r).matches("[a-z2-7]{8}");
      seen.add(r);
    }
    assertThat(seen).hasSizeGreaterThan(18);
  }

  @Test
  void tagsAreSanitisedIntoValidResourceparts() {
    assertThat(Bind2Resources.sanitiseTag("Conversations ☺")).contains("Conversations ☺");
    assertThat(Bind2Resources.sanitiseTag("Evil\u202Egnp.exe")).contains("Evilgnp.exe");
    assertThat(Bind2Resources.sanitiseTag("tab\tand\u00A0nbsp")).contains("taband nbsp");
    assertThat(Bind2Resources.sanitiseTag("\u200B\u2028")).isEmpty();
    assertThat(Bind2Resources.sanitiseTag("   ")).isEmpty();
    assertThat(Bind2Resources.sanitiseTag("x".repeat(100)))
        .contains("x".repeat(Bind2Resources.MAX_TAG_CODE_POINTS));
    assertThat(Bind2Resources.sanitiseTag("\uD83D\uDE00".repeat(40)).orElseThrow()
        .codePointCount(0, 64)).isEqualTo(Bind2Resources.MAX_TAG_CODE_POINTS);
  }

  @Test
  void aTagWithNothingUsableLeavesTheSuffixAlone() {
    assertThat(resources.resource("juliet", Optional.of("\u200B"), Optional.of(PHONE)))
        .matches("[a-z2-7]{8}");
  }

  @Test
  void everyResourceIsAValidResourcepart() {
    for (String tag : new String[] {"AwesomeXMPP", "a/b@c", "Ⅻ full-width ＡＢＣ", "x".repeat(1023)}) {
      String resource = resources.resource("juliet", Optional.of(tag), Optional.of(PHONE));
      assertThat(Jid.of("juliet", "example.com", resource).resource()).contains(resource);
    }
  }

  @Test
  void aShortKeyIsRefused() {
    assertThatThrownBy(() -> Bind2Resources.of(new byte[31]))
        .hasMessageContaining("at least 32 bytes");
  }
}
