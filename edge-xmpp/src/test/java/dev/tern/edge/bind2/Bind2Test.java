package dev.tern.edge.bind2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.edge.sasl.SaslFailure;
import dev.tern.edge.sasl2.Sasl2Authenticate;
import dev.tern.edge.sasl2.Sasl2Exception;
import dev.tern.edge.codec.TestXml;
import dev.tern.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Bind 2 elements (XEP-0386), checked against the XEP's own examples. */
class Bind2Test {

  private static Optional<Bind2Request> find(String authenticate) throws Sasl2Exception {
    return Bind2Request.find(
        Sasl2Authenticate.parse(TestXml.parse(authenticate)).inlineRequests());
  }

  private static SaslFailure failureOf(String inline) {
    try {
      find("<authenticate xmlns='urn:xmpp:sasl:2' mechanism='PLAIN'>" + inline
          + "</authenticate>");
    } catch (Sasl2Exception e) {
      return e.condition();
    }
    throw new AssertionError("parsed: " + inline);
  }

  @Test
  void theFeatureListsTheInlineFeaturesAsInXep0386Example1() {
    XmlElement feature = Bind2.feature(List.of("urn:xmpp:carbons:2", "urn:xmpp:csi:0",
        "urn:xmpp:sm:3"));

    assertThat(feature).isEqualTo(TestXml.parseCompact("""
        <bind xmlns='urn:xmpp:bind:0'>
          <inline>
            <feature var="urn:xmpp:carbons:2" />
            <feature var="urn:xmpp:csi:0" />
            <feature var="urn:xmpp:sm:3" />
          </inline>
        </bind>"""));
  }

  @Test
  void aFeatureWithoutInlineFeaturesIsAnEmptyBind() {
    assertThat(TestXml.write(Bind2.feature(List.of())))
        .isEqualTo("<bind xmlns='urn:xmpp:bind:0'/>");
  }

  @Test
  void aBindRequestWithATagIsXep0386Example2() throws Exception {
    Optional<Bind2Request> bind = find("""
        <authenticate xmlns='urn:xmpp:sasl:2' mechanism='SCRAM-SHA-1'>
          <initial-response>SSBzaG91bGQgbWFrZSB0aGlzIGEgY29tcGV0aXRpb24=</initial-response>
          <bind xmlns='urn:xmpp:bind:0'>
            <tag>AwesomeXMPP</tag>
          </bind>
        </authenticate>""");

    assertThat(bind).contains(new Bind2Request(Optional.of("AwesomeXMPP"), List.of()));
  }

  @Test
  void sessionFeaturesAreTheInlineRequestsInOrderAsInXep0386Example3() throws Exception {
    Bind2Request bind = find("""
        <authenticate xmlns='urn:xmpp:sasl:2' mechanism='SCRAM-SHA-1'>
          <initial-response>SSBzaG91bGQgbWFrZSB0aGlzIGEgY29tcGV0aXRpb24=</initial-response>
          <bind xmlns='urn:xmpp:bind:0'>
            <tag>AwesomeXMPP</tag>
            <enable xmlns='urn:xmpp:carbons:2'/>
            <enable xmlns='urn:xmpp:sm:3'/>
            <inactive xmlns='urn:xmpp:csi:0'/>
          </bind>
        </authenticate>""").orElseThrow();

    assertThat(bind.tag()).contains("AwesomeXMPP");
    assertThat(bind.inlineRequests()).extracting(XmlElement::namespace)
        .containsExactly("urn:xmpp:carbons:2", "urn:xmpp:sm:3", "urn:xmpp:csi:0");
    assertThat(bind.inlineRequest("enable", "urn:xmpp:sm:3")).isPresent();
    assertThat(bind.inlineRequest("active", "urn:xmpp:csi:0")).isEmpty();
  }

  @Test
  void anAuthenticationWithoutBindRequestsNoBinding() throws Exception {
    assertThat(find("<authenticate xmlns='urn:xmpp:sasl:2' mechanism='PLAIN'>"
        + "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></authenticate>")).isEmpty();
  }

  @Test
  void anEmptyOrBlankTagIsNoTag() throws Exception {
    assertThat(Bind2Request.parse(TestXml.parse(
        "<bind xmlns='urn:xmpp:bind:0'><tag>  </tag></bind>")).tag()).isEmpty();
    assertThat(Bind2Request.parse(TestXml.parse(
        "<bind xmlns='urn:xmpp:bind:0'><tag/></bind>")).tag()).isEmpty();
  }

  @Test
  void aBindRequestSurvivesTheRoundTrip() throws Exception {
    Bind2Request request = new Bind2Request(Optional.of("Tern ☺"),
        List.of(TestXml.parse("<enable xmlns='urn:xmpp:sm:3' resume='true'/>")));

    assertThat(Bind2Request.parse(TestXml.parse(TestXml.write(request.toElement()))))
        .isEqualTo(request);
  }

  @Test
  void twoBindRequestsOrTwoTagsOrAnOverlongTagAreMalformedRequest() {
    assertThat(failureOf("<bind xmlns='urn:xmpp:bind:0'/><bind xmlns='urn:xmpp:bind:0'/>"))
        .isEqualTo(SaslFailure.MALFORMED_REQUEST);
    assertThat(failureOf("<bind xmlns='urn:xmpp:bind:0'><tag>a</tag><tag>b</tag></bind>"))
        .isEqualTo(SaslFailure.MALFORMED_REQUEST);
    assertThat(failureOf("<bind xmlns='urn:xmpp:bind:0'><tag>"
        + "x".repeat(Bind2Request.MAX_TAG_LENGTH + 1) + "</tag></bind>"))
        .isEqualTo(SaslFailure.MALFORMED_REQUEST);
  }

  @Test
  void onlyABind2ElementParses() {
    assertThatThrownBy(() -> Bind2Request.parse(
        TestXml.parse("<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theBoundResultCarriesTheInlineResultsAsInXep0386Example4() {
    XmlElement metadata = TestXml.parseCompact("""
        <metadata xmlns='urn:xmpp:mam:2'>
          <start id='YWxwaGEg' timestamp='2008-08-22T21:09:04Z' />
          <end id='b21lZ2Eg' timestamp='2020-04-20T14:34:21Z' />
        </metadata>""");

    assertThat(Bind2.bound(List.of(metadata))).isEqualTo(TestXml.parseCompact("""
        <bound xmlns='urn:xmpp:bind:0'>
          <metadata xmlns='urn:xmpp:mam:2'>
            <start id='YWxwaGEg' timestamp='2008-08-22T21:09:04Z' />
            <end id='b21lZ2Eg' timestamp='2020-04-20T14:34:21Z' />
          </metadata>
        </bound>"""));
  }
}
