package dev.tern.edge.fast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.edge.sasl.SaslFailure;
import dev.tern.edge.sasl2.Sasl2Authenticate;
import dev.tern.edge.sasl2.Sasl2Exception;
import dev.tern.edge.codec.TestXml;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The client's FAST elements inside a SASL2 {@code <authenticate/>} (XEP-0484 §3.2–§3.6). */
class FastRequestTest {

  private static FastRequest parse(String authenticate) throws Sasl2Exception {
    return FastRequest.parse(Sasl2Authenticate.parse(TestXml.parse(authenticate)).inlineRequests());
  }

  private static SaslFailure failureOf(String inline) {
    try {
      parse("<authenticate xmlns='urn:xmpp:sasl:2' mechanism='HT-SHA-256-NONE'>" + inline
          + "</authenticate>");
    } catch (Sasl2Exception e) {
      return e.condition();
    }
    throw new AssertionError("parsed: " + inline);
  }

  @Test
  void aTokenRequestWithAPasswordLoginIsXep0484Example2() throws Exception {
    FastRequest request = parse("""
        <authenticate xmlns='urn:xmpp:sasl:2' mechanism='SCRAM-SHA-1-PLUS'>
            <initial-response>SSBzaG91bGQgbWFrZSB0aGlzIGEgY29tcGV0aXRpb24=</initial-response>
            <bind xmlns='urn:xmpp:bind:0'>
              <tag>AwesomeXMPP</tag>
            </bind>
            <request-token xmlns='urn:xmpp:fast:0' mechanism='HT-SHA-256-ENDP'/>
        </authenticate>""");

    assertThat(request).isEqualTo(new FastRequest(Optional.of("HT-SHA-256-ENDP"), false,
        OptionalLong.empty(), false));
  }

  @Test
  void aTokenLoginWithACounterIsXep0484Example4() throws Exception {
    FastRequest request = parse("""
        <authenticate xmlns='urn:xmpp:sasl:2' mechanism='HT-SHA-256-ENDP'>
            <initial-response>SSBzaG91bGQgbWFrZSB0aGlzIGEgY29tcGV0aXRpb24=</initial-response>
            <bind xmlns='urn:xmpp:bind:0'>
              <tag>AwesomeXMPP</tag>
            </bind>
            <fast xmlns='urn:xmpp:fast:0' count='123' />
        </authenticate>""");

    assertThat(request).isEqualTo(new FastRequest(Optional.empty(), true, OptionalLong.of(123),
        false));
  }

  @Test
  void anInvalidationIsXep0484Example6() throws Exception {
    FastRequest request = parse("""
        <authenticate xmlns='urn:xmpp:sasl:2' mechanism='HT-SHA-256-ENDP'>
            <initial-response>SSBzaG91bGQgbWFrZSB0aGlzIGEgY29tcGV0aXRpb24=</initial-response>
            <fast xmlns='urn:xmpp:fast:0' count='123' invalidate='true'/>
        </authenticate>""");

    assertThat(request.invalidate()).isTrue();
    assertThat(request.tokenAuthentication()).isTrue();
    assertThat(FastRequest.parse(List.of(TestXml.parse(
        "<fast xmlns='urn:xmpp:fast:0' invalidate='1'/>"))).invalidate()).isTrue();
    assertThat(FastRequest.parse(List.of(TestXml.parse(
        "<fast xmlns='urn:xmpp:fast:0' invalidate='false'/>"))).invalidate()).isFalse();
  }

  @Test
  void anAuthenticationWithoutFastElementsAsksNothing() throws Exception {
    assertThat(parse("<authenticate xmlns='urn:xmpp:sasl:2' mechanism='PLAIN'>"
        + "<fast xmlns='urn:example:not-fast'/></authenticate>")).isEqualTo(FastRequest.NONE);
  }

  @Test
  void aTokenRequestWithoutMechanismIsMalformedRequest() {
    assertThat(failureOf("<request-token xmlns='urn:xmpp:fast:0'/>"))
        .isEqualTo(SaslFailure.MALFORMED_REQUEST);
  }

  @Test
  void aTokenRequestedForAMechanismThatIsNotHtIsInvalidMechanism() {
    assertThat(failureOf("<request-token xmlns='urn:xmpp:fast:0' mechanism='SCRAM-SHA-256'/>"))
        .isEqualTo(SaslFailure.INVALID_MECHANISM);
    assertThat(failureOf("<request-token xmlns='urn:xmpp:fast:0' mechanism='HT-SHA-512-NONE'/>"))
        .isEqualTo(SaslFailure.INVALID_MECHANISM);
  }

  @Test
  void aCountOrInvalidateThatIsNotANumberOrBooleanIsMalformedRequest() {
    for (String fast : List.of("<fast xmlns='urn:xmpp:fast:0' count='abc'/>",
        "<fast xmlns='urn:xmpp:fast:0' count='-1'/>",
        "<fast xmlns='urn:xmpp:fast:0' count=''/>",
        "<fast xmlns='urn:xmpp:fast:0' count='99999999999999999999'/>",
        "<fast xmlns='urn:xmpp:fast:0' invalidate='yes'/>")) {
      assertThat(failureOf(fast)).as(fast).isEqualTo(SaslFailure.MALFORMED_REQUEST);
    }
  }

  @Test
  void twoFastElementsOrTokenRequestsAreMalformedRequest() {
    assertThat(failureOf("<fast xmlns='urn:xmpp:fast:0'/><fast xmlns='urn:xmpp:fast:0'/>"))
        .isEqualTo(SaslFailure.MALFORMED_REQUEST);
    assertThat(failureOf("<request-token xmlns='urn:xmpp:fast:0' mechanism='HT-SHA-256-NONE'/>"
        + "<request-token xmlns='urn:xmpp:fast:0' mechanism='HT-SHA-256-NONE'/>"))
        .isEqualTo(SaslFailure.MALFORMED_REQUEST);
  }
}
