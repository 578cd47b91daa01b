package dev.tern.edge.sasl2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.xmpp.jid.Jid;
import dev.tern.edge.sasl.SaslFailure;
import dev.tern.edge.sasl.SaslStep;
import dev.tern.edge.codec.TestXml;
import dev.tern.xmpp.xml.XmlElement;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The XEP-0388 elements, checked against the XEP's own examples. */
class Sasl2Test {

  private static final String UA_ID = "d4565fa7-4d72-4749-b3d3-740edbf87770";

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static SaslFailure failureOf(String xml) {
    try {
      Sasl2Authenticate.parse(TestXml.parse(xml));
    } catch (Sasl2Exception e) {
      return e.condition();
    }
    throw new AssertionError("parsed: " + xml);
  }

  // ---- the stream feature ----

  @Test
  void theFeatureListsTheMechanismsAndTheInlineFeaturesAsInXep0386Example1() {
    XmlElement bind = XmlElement.builder("bind", "urn:xmpp:bind:0")
        .child(XmlElement.builder("inline", "urn:xmpp:bind:0")
            .child(XmlElement.builder("feature", "urn:xmpp:bind:0")
                .attribute("var", "urn:xmpp:carbons:2").build())
            .child(XmlElement.builder("feature", "urn:xmpp:bind:0")
                .attribute("var", "urn:xmpp:csi:0").build())
            .child(XmlElement.builder("feature", "urn:xmpp:bind:0")
                .attribute("var", "urn:xmpp:sm:3").build())
            .build())
        .build();
    XmlElement sm = XmlElement.builder("sm", "urn:xmpp:sm:3").build();

    XmlElement feature = Sasl2.feature(List.of("SCRAM-SHA-1", "SCRAM-SHA-1-PLUS"),
        List.of(bind, sm));

    assertThat(feature).isEqualTo(TestXml.parseCompact("""
        <authentication xmlns='urn:xmpp:sasl:2'>
          <mechanism>SCRAM-SHA-1</mechanism>
          <mechanism>SCRAM-SHA-1-PLUS</mechanism>
          <inline>
            <bind xmlns='urn:xmpp:bind:0'>
              <inline>
                <feature var="urn:xmpp:carbons:2" />
                <feature var="urn:xmpp:csi:0" />
                <feature var="urn:xmpp:sm:3" />
              </inline>
            </bind>
            <sm xmlns='urn:xmpp:sm:3'/>
          </inline>
        </authentication>"""));
  }

  @Test
  void aFeatureWithoutInlineFeaturesHasNoInlineElement() {
    assertThat(TestXml.write(Sasl2.feature(List.of("PLAIN"), List.of()))).isEqualTo(
        "<authentication xmlns='urn:xmpp:sasl:2'><mechanism>PLAIN</mechanism></authentication>");
  }

  @Test
  void sasl2IsNotOfferedWithoutAMechanism() {
    assertThatThrownBy(() -> Sasl2.feature(List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- <authenticate/> ----

  @Test
  void anAuthenticationRequestWithAUserAgentParses() throws Exception {
    Sasl2Authenticate auth = Sasl2Authenticate.parse(TestXml.parse("""
        <authenticate xmlns='urn:xmpp:sasl:2' mechanism='SCRAM-SHA-1-PLUS'>
          <initial-response>cD10bHMtZXhwb3J0ZXIsLG49dXNlcixyPTEyQzRDRDVDLUUzOEUtNEE5OC04RjZELTE1QzM4RjUxQ0NDNg==</initial-response>
          <user-agent id='d4565fa7-4d72-4749-b3d3-740edbf87770'>
            <software>AwesomeXMPP</software>
            <device>Kiva's Phone</device>
          </user-agent>
        </authenticate>"""));

    assertThat(auth.mechanism()).isEqualTo("SCRAM-SHA-1-PLUS");
    assertThat(auth.initialResponse()).hasValueSatisfying(r -> assertThat(r).isEqualTo(
        utf8("p=tls-exporter,,n=user,r=12C4CD5C-E38E-4A98-8F6D-15C38F51CCC6")));
    assertThat(auth.userAgent()).contains(
        new UserAgent(UA_ID, Optional.of("AwesomeXMPP"), Optional.of("Kiva's Phone")));
    assertThat(auth.inlineRequests()).isEmpty();
  }

  @Test
  void inlineRequestsAreTheChildrenOfOtherNamespacesInOrderAsInXep0484Example2()
      throws Exception {
    Sasl2Authenticate auth = Sasl2Authenticate.parse(TestXml.parse("""
        <authenticate xmlns='urn:xmpp:sasl:2' mechanism='SCRAM-SHA-1-PLUS'>
            <initial-response>SSBzaG91bGQgbWFrZSB0aGlzIGEgY29tcGV0aXRpb24=</initial-response>
            <bind xmlns='urn:xmpp:bind:0'>
              <tag>AwesomeXMPP</tag>
            </bind>
            <request-token xmlns='urn:xmpp:fast:0' mechanism='HT-SHA-256-ENDP'/>
        </authenticate>"""));

    assertThat(auth.userAgent()).isEmpty();
    assertThat(auth.inlineRequests()).extracting(XmlElement::name)
        .containsExactly("bind", "request-token");
    assertThat(auth.inlineRequest("request-token", "urn:xmpp:fast:0").orElseThrow()
        .attribute("mechanism")).contains("HT-SHA-256-ENDP");
    assertThat(auth.inlineRequest("bind", "urn:xmpp:fast:0")).isEmpty();
  }

  @Test
  void whitespaceAroundTheInitialResponseIsIgnored() throws Exception {
    Sasl2Authenticate auth = Sasl2Authenticate.parse(TestXml.parse("""
        <authenticate xmlns='urn:xmpp:sasl:2' mechanism='BLURDYBLOOP'>
          <initial-response>
            SSBzaG91bGQgbWFrZSB0aGlzIGEgY29tcGV0aXRpb24=
          </initial-response>
          <bind xmlns='urn:xmpp:bind:example'/>
        </authenticate>"""));

    assertThat(auth.initialResponse()).hasValueSatisfying(
        r -> assertThat(r).isEqualTo(utf8("I should make this a competition")));
  }

  @Test
  void anEmptyInitialResponseIsEmptyDataAndAMissingOneIsNone() throws Exception {
    Sasl2Authenticate empty = Sasl2Authenticate.parse(TestXml.parse(
        "<authenticate xmlns='urn:xmpp:sasl:2' mechanism='PLAIN'><initial-response/></authenticate>"));
    Sasl2Authenticate none = Sasl2Authenticate.parse(TestXml.parse(
        "<authenticate xmlns='urn:xmpp:sasl:2' mechanism='PLAIN'/>"));

    assertThat(empty.initialResponse()).hasValueSatisfying(r -> assertThat(r).isEmpty());
    assertThat(none.initialResponse()).isEmpty();
  }

  @Test
  void aUserAgentIdIsKeptInLowerCase() throws Exception {
    Sasl2Authenticate auth = Sasl2Authenticate.parse(TestXml.parse(
        "<authenticate xmlns='urn:xmpp:sasl:2' mechanism='PLAIN'>"
            + "<user-agent id='D4565FA7-4D72-4749-B3D3-740EDBF87770'/></authenticate>"));

    assertThat(auth.userAgent()).contains(new UserAgent(UA_ID, Optional.empty(), Optional.empty()));
  }

  @Test
  void aUserAgentWithoutAnIdIsNoUserAgent() throws Exception {
    Sasl2Authenticate auth = Sasl2Authenticate.parse(TestXml.parse(
        "<authenticate xmlns='urn:xmpp:sasl:2' mechanism='PLAIN'>"
            + "<user-agent><software>AwesomeXMPP</software></user-agent></authenticate>"));

    assertThat(auth.userAgent()).isEmpty();
  }

  @Test
  void anAuthenticationRequestSurvivesTheRoundTrip() throws Exception {
    Sasl2Authenticate auth = new Sasl2Authenticate("HT-SHA-256-EXPR",
        Optional.of(new byte[] {'j', 0, 1, 2, (byte) 0xff}),
        Optional.of(new UserAgent(UA_ID, Optional.of("Tern test"), Optional.empty())),
        List.of(TestXml.parse("<fast xmlns='urn:xmpp:fast:0' count='3'/>")));

    XmlElement element = auth.toElement();

    assertThat(Sasl2Authenticate.parse(element)).isEqualTo(auth).hasSameHashCodeAs(auth);
    assertThat(Sasl2Authenticate.parse(TestXml.parse(TestXml.write(element)))).isEqualTo(auth);
  }

  @Test
  void aMissingOrEmptyMechanismIsInvalidMechanism() {
    assertThat(failureOf("<authenticate xmlns='urn:xmpp:sasl:2'>"
        + "<initial-response>AGp1bGlldAByMG0zMG15cjBtMzA=</initial-response></authenticate>"))
        .isEqualTo(SaslFailure.INVALID_MECHANISM);
    assertThat(failureOf("<authenticate xmlns='urn:xmpp:sasl:2' mechanism=''/>"))
        .isEqualTo(SaslFailure.INVALID_MECHANISM);
  }

  @Test
  void aNameThatCannotBeAMechanismIsInvalidMechanism() {
    assertThat(failureOf("<authenticate xmlns='urn:xmpp:sasl:2' mechanism='scram-sha-1'/>"))
        .isEqualTo(SaslFailure.INVALID_MECHANISM);
    assertThat(failureOf("<authenticate xmlns='urn:xmpp:sasl:2' "
        + "mechanism='A-MECHANISM-NAME-TOO-LONG'/>")).isEqualTo(SaslFailure.INVALID_MECHANISM);
  }

  @Test
  void anInitialResponseThatIsNotBase64IsIncorrectEncoding() {
    assertThat(failureOf("<authenticate xmlns='urn:xmpp:sasl:2' mechanism='PLAIN'>"
        + "<initial-response>AGp1bGll*dAByMG0z</initial-response></authenticate>"))
        .isEqualTo(SaslFailure.INCORRECT_ENCODING);
    assertThat(failureOf("<authenticate xmlns='urn:xmpp:sasl:2' mechanism='PLAIN'>"
        + "<initial-response>AGp1b</initial-response></authenticate>"))
        .isEqualTo(SaslFailure.INCORRECT_ENCODING);
    assertThat(failureOf("<authenticate xmlns='urn:xmpp:sasl:2' mechanism='PLAIN'>"
        + "<initial-response>AGp1 bGll</initial-response></authenticate>"))
        .isEqualTo(SaslFailure.INCORRECT_ENCODING);
  }

  @Test
  void aUserAgentIdThatIsNotAUuidIsMalformedRequest() {
    for (String id : List.of("", "my-phone", "d4565fa7-4d72-4749-b3d3-740edbf8777",
        "d4565fa74d724749b3d3740edbf87770", "{d4565fa7-4d72-4749-b3d3-740edbf87770}",
        "g4565fa7-4d72-4749-b3d3-740edbf87770")) {
      assertThat(failureOf("<authenticate xmlns='urn:xmpp:sasl:2' mechanism='PLAIN'>"
          + "<user-agent id='" + id + "'/></authenticate>"))
          .as(id).isEqualTo(SaslFailure.MALFORMED_REQUEST);
    }
  }

  @Test
  void twoInitialResponsesOrUserAgentsAreMalformedRequest() {
    assertThat(failureOf("<authenticate xmlns='urn:xmpp:sasl:2' mechanism='PLAIN'>"
        + "<initial-response>AA==</initial-response><initial-response>AA==</initial-response>"
        + "</authenticate>")).isEqualTo(SaslFailure.MALFORMED_REQUEST);
    assertThat(failureOf("<authenticate xmlns='urn:xmpp:sasl:2' mechanism='PLAIN'>"
        + "<user-agent id='" + UA_ID + "'/><user-agent id='" + UA_ID + "'/></authenticate>"))
        .isEqualTo(SaslFailure.MALFORMED_REQUEST);
  }

  @Test
  void anOverlongDeviceNameIsMalformedRequest() {
    assertThat(failureOf("<authenticate xmlns='urn:xmpp:sasl:2' mechanism='PLAIN'>"
        + "<user-agent id='" + UA_ID + "'><device>" + "x".repeat(UserAgent.MAX_TEXT_LENGTH + 1)
        + "</device></user-agent></authenticate>")).isEqualTo(SaslFailure.MALFORMED_REQUEST);
  }

  // ---- challenges, responses, outcomes ----

  @Test
  void aChallengeCarriesItsDataInBase64AsInXep0388() {
    XmlElement challenge = Sasl2.challenge(utf8("r=12C4CD5C-E38E-4A98-8F6D-15C38F51CCC6"
        + "a09117a6-ac50-4f2f-93f1-93799c2bddf6,s=QSXCR+Q6sek8bf92,i=4096"));

    assertThat(challenge).isEqualTo(TestXml.parse("<challenge xmlns='urn:xmpp:sasl:2'>"
        + "cj0xMkM0Q0Q1Qy1FMzhFLTRBOTgtOEY2RC0xNUMzOEY1MUNDQzZhMDkxMTdhNi1hYzUwLTRmMmYtOTNmMS05"
        + "Mzc5OWMyYmRkZjYscz1RU1hDUitRNnNlazhiZjkyLGk9NDA5Ng==</challenge>"));
  }

  @Test
  void aResponseDecodesAndBadBase64IsIncorrectEncoding() throws Exception {
    XmlElement response = TestXml.parse("""
        <response xmlns='urn:xmpp:sasl:2'>
          Li4uSSdsbCBidXkgYSBiZWVyIGZvciB0aGUgZmlyc3QgcGVyc29uIHdoby4uLg==
        </response>""");

    assertThat(Sasl2.response(response))
        .isEqualTo(utf8("...I'll buy a beer for the first person who..."));
    assertThatThrownBy(() -> Sasl2.response(
        TestXml.parse("<response xmlns='urn:xmpp:sasl:2'>not base64!</response>")))
        .isInstanceOfSatisfying(Sasl2Exception.class,
            e -> assertThat(e.condition()).isEqualTo(SaslFailure.INCORRECT_ENCODING));
  }

  @Test
  void aSuccessWithAdditionalDataIsXep0388sScramExample() throws Exception {
    Sasl2Success success = Sasl2Success.of(
        new SaslStep.Success(utf8("v=msVHs/BzIOHDqXeVH7EmmDu9id8="), "user"),
        Jid.parse("user@example.org"), List.of());

    assertThat(success.toElement()).isEqualTo(TestXml.parseCompact("""
        <success xmlns='urn:xmpp:sasl:2'>
          <additional-data>dj1tc1ZIcy9CeklPSERxWGVWSDdFbW1EdTlpZDg9</additional-data>
          <authorization-identifier>user@example.org</authorization-identifier>
        </success>"""));
  }

  @Test
  void aSuccessWithoutAdditionalDataHasNoSuchElement() throws Exception {
    Sasl2Success success = Sasl2Success.of(new SaslStep.Success(new byte[0], "alice"),
        Jid.parse("alice@example.org"), List.of());

    assertThat(TestXml.write(success.toElement())).isEqualTo("<success xmlns='urn:xmpp:sasl:2'>"
        + "<authorization-identifier>alice@example.org</authorization-identifier></success>");
  }

  @Test
  void aSuccessWithInlineResultsSurvivesTheRoundTrip() throws Exception {
    Sasl2Success success = new Sasl2Success(Optional.of(new byte[] {1, 2, 3}),
        Jid.parse("user@example.com/AwesomeXMPP/4232f4d4"),
        List.of(TestXml.parse("<bound xmlns='urn:xmpp:bind:0'/>"),
            TestXml.parse("<token xmlns='urn:xmpp:fast:0' expiry='2020-03-12T14:36:15Z' "
                + "token='WXZzciBwYmFmdmZnZiBqdmd1IGp2eXFhcmZm'/>")));

    XmlElement element = TestXml.parse(TestXml.write(success.toElement()));

    assertThat(Sasl2Success.parse(element)).isEqualTo(success).hasSameHashCodeAs(success);
    assertThat(element.elements()).extracting(XmlElement::name).containsExactly(
        "additional-data", "authorization-identifier", "bound", "token");
  }

  @Test
  void aFailureCarriesTheRfc6120ConditionAndTheText() {
    assertThat(Sasl2.failure(SaslFailure.ABORTED, "This is a terrible example."))
        .isEqualTo(TestXml.parseCompact("""
            <failure xmlns='urn:xmpp:sasl:2'>
              <aborted xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>
              <text xml:lang='en'>This is a terrible example.</text>
            </failure>"""));
    assertThat(TestXml.write(Sasl2.failure(new SaslStep.Failure(SaslFailure.NOT_AUTHORIZED))))
        .isEqualTo("<failure xmlns='urn:xmpp:sasl:2'>"
            + "<not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/></failure>");
  }

  @Test
  void aRefusedRequestAnswersWithItsFailure() {
    Sasl2Exception e = new Sasl2Exception(SaslFailure.MALFORMED_REQUEST, "why");

    assertThat(e.failure()).isEqualTo(new SaslStep.Failure(SaslFailure.MALFORMED_REQUEST, "why"));
  }

  @Test
  void anAbortIsRecognised() {
    assertThat(Sasl2.isAbort(TestXml.parse("<abort xmlns='urn:xmpp:sasl:2'/>"))).isTrue();
    assertThat(Sasl2.isAbort(TestXml.parse("<abort xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>")))
        .isFalse();
  }
}
