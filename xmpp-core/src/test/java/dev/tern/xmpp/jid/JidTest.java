package dev.tern.xmpp.jid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.xmpp.jid.JidMalformedException.Part;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JidTest {

  static JidMalformedException malformed(String s) {
    try {
      Jid jid = Jid.parse(s);
      throw new AssertionError("'" + s + "' parsed as " + jid);
    } catch (JidMalformedException e) {
      return e;
    }
  }

  /** RFC 7622 §3.5.1, "Examples of Valid JIDs", with their canonical forms. */
  @ParameterizedTest(name = "{0} is valid and reads {1}")
  @CsvSource(delimiter = '|', value = {
      "juliet@example.com          | juliet@example.com",
      "juliet@example.com/foo      | juliet@example.com/foo",
      "juliet@example.com/foo bar  | juliet@example.com/foo bar",
      "juliet@example.com/foo@bar  | juliet@example.com/foo@bar",
      "foo\\20bar@example.com      | foo\\20bar@example.com",
      "fussball@example.com        | fussball@example.com",
      "fußball@example.com         | fußball@example.com",
      "π@example.com               | π@example.com",
      "Σ@example.com               | σ@example.com",
      "σ@example.com               | σ@example.com",
      "ς@example.com               | ς@example.com",
      "king@example.com/♚          | king@example.com/♚",
      "example.com                 | example.com",
      "example.com/foobar          | example.com/foobar",
      "a.example.com/b@example.net | a.example.com/b@example.net",
  })
  void theValidExamplesOfRfc7622AreAccepted(String input, String canonical) throws Exception {
    assertThat(Jid.parse(input)).hasToString(canonical);
  }

  /** RFC 7622 §3.5.2, "Examples of Invalid JIDs", and the empty parts of §3.2 to §3.4. */
  @ParameterizedTest(name = "{0} is malformed in its {1}")
  @CsvSource(delimiter = '|', value = {
      "\"juliet\"@example.com | LOCALPART",
      "foo bar@example.com    | LOCALPART",
      "henriⅣ@example.com     | LOCALPART",
      "♚@example.com          | LOCALPART",
      "juliet@                | DOMAINPART",
      "/foobar                | DOMAINPART",
      "@example.com           | LOCALPART",
      "example.com/           | RESOURCEPART",
      "juliet@example.com/    | RESOURCEPART",
      "''                     | DOMAINPART",
      ".                      | DOMAINPART",
      "a@b@example.com        | DOMAINPART",
      "juliet@exa mple.com    | DOMAINPART",
      "juliet@example..com    | DOMAINPART",
      "juliet@example.com..   | DOMAINPART",
      "juliet@[::1            | DOMAINPART",
      "juliet@[example.com]   | DOMAINPART",
      "juliet@[fe80::1%eth0]  | DOMAINPART",
      "jul:iet@example.com    | LOCALPART",
      "jul&iet@example.com    | LOCALPART",
      "juliet＠example.com    | DOMAINPART",
  })
  void theInvalidExamplesAreRefusedNamingThePart(String input, Part part) {
    JidMalformedException e = malformed(input);

    assertThat(e.part()).isEqualTo(part);
    assertThat(e).hasMessageStartingWith(part.toString());
  }

  @Test
  void theMessageSaysWhichPartAndWhy() {
    assertThat(malformed("foo bar@example.com"))
        .hasMessageStartingWith("localpart \"foo bar\" is not a PRECIS UsernameCaseMapped string");
    assertThat(malformed("\"juliet\"@example.com"))
        .hasMessage("localpart \"\"juliet\"\" contains '\"', which RFC 7622 §3.3.1 forbids");
    assertThat(malformed("juliet@")).hasMessage("domainpart \"\" is empty");
    assertThat(malformed("example.com/")).hasMessage("resourcepart \"\" is empty");
  }

  @Test
  void eachPartMayHave1023BytesButNotOneMore() throws Exception {
    String longest = "a".repeat(1023);

    assertThat(Jid.parse(longest + "@example.com").local()).contains(longest);
    assertThat(Jid.parse("example.com/" + longest).resource()).contains(longest);
    assertThat(malformed("a".repeat(1024) + "@example.com"))
        .hasMessageContaining("1024 bytes long, more than 1023");
    assertThat(malformed("example.com/" + "é".repeat(512)).part()).isEqualTo(Part.RESOURCEPART);
    assertThat(malformed("a".repeat(100_000) + "@example.com").part()).isEqualTo(Part.LOCALPART);
  }

  @Test
  void theDomainIsLowerCasedAndLosesOneTrailingDot() throws Exception {
    assertThat(Jid.parse("Juliet@EXAMPLE.com./Balcony")).hasToString("juliet@example.com/Balcony");
    assertThat(Jid.parse("ＪＵＬＩＥＴ@ｅｘａｍｐｌｅ．ｃｏｍ")).hasToString("juliet@example.com");
    assertThat(Jid.parse("romeo@xn--bcher-kva.example")).hasToString("romeo@bücher.example");
  }

  @Test
  void ipLiteralsAreDomainparts() throws Exception {
    assertThat(Jid.parse("juliet@192.0.2.1/balcony").domain()).isEqualTo("192.0.2.1");
    assertThat(Jid.parse("juliet@[::1]").domain()).isEqualTo("[::1]");
    assertThat(Jid.parse("[2001:DB8:0:0:0:0:0:1]/r")).hasToString("[2001:db8::1]/r");
  }

  @Test
  void partsAreAvailableOneByOne() throws Exception {
    Jid full = Jid.parse("juliet@example.com/balcony");
    Jid domain = Jid.parse("example.com");

    assertThat(full.local()).contains("juliet");
    assertThat(full.domain()).isEqualTo("example.com");
    assertThat(full.resource()).contains("balcony");
    assertThat(full.isBare()).isFalse();
    assertThat(domain.local()).isEmpty();
    assertThat(domain.resource()).isEmpty();
    assertThat(domain.isBare()).isTrue();
  }

  @Test
  void addressesAreEqualWhenTheirCanonicalFormsAre() throws Exception {
    Jid a = Jid.parse("Juliet@Example.COM/balcony");
    Jid b = Jid.of("juliet", "example.com.", "balcony");

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(Jid.parse("juliet@example.com/Balcony"));
    assertThat(Jid.parse("σ@example.com")).isNotEqualTo(Jid.parse("ς@example.com"));
  }

  @Test
  void bareDropsTheResourceAndWithResourceSetsIt() throws Exception {
    Jid full = Jid.parse("juliet@example.com/balcony");

    assertThat(full.bare()).isEqualTo(Jid.parse("juliet@example.com"));
    assertThat(full.bare().isBare()).isTrue();
    Jid bare = full.bare();
    assertThat(bare.bare()).isSameAs(bare);
    assertThat(full.bare().withResource("orchard ♚")).hasToString("juliet@example.com/orchard ♚");
    assertThat(Jid.parse("example.com").withResource("a/b@c")).hasToString("example.com/a/b@c");
  }

  @Test
  void ofAndWithResourceRefuseMalformedPartsWithTheCheckedExceptionAsCause() {
    assertThatThrownBy(() -> Jid.of("foo bar", "example.com", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasCauseInstanceOf(JidMalformedException.class)
        .hasMessageStartingWith("localpart");
    assertThatThrownBy(() -> Jid.of(null, "", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("domainpart \"\" is empty");
    assertThatThrownBy(() -> Jid.of(null, "example.com", null).withResource(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("resourcepart");
    assertThatThrownBy(() -> Jid.of(null, "example.com", "\u0007"))
        .hasMessageStartingWith("resourcepart \"\\u0007\" is not a PRECIS OpaqueString");
  }

  @Test
  void ofPreparesPartsLikeParse() throws Exception {
    assertThat(Jid.of("Σ", "EXAMPLE.com", "Balcony"))
        .isEqualTo(Jid.parse("σ@example.com/Balcony"));
    assertThat(Jid.of(null, "example.com", null)).isEqualTo(Jid.parse("example.com"));
  }
}
