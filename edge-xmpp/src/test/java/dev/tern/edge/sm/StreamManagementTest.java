package dev.tern.edge.sm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.StreamErrorCondition;
import dev.tern.xmpp.xml.StreamErrorException;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.XmlElement;
import dev.tern.xmpp.xml.XmlWriter;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The examples of XEP-0198, read and written back. */
class StreamManagementTest {

  private static StreamManagement.Nonza read(String xml) throws StreamErrorException {
    return StreamManagement.parse(Xml.parse(xml));
  }

  /** Reads {@code xml}, checks it is {@code expected}, and that writing it gives the same element. */
  private static void roundTrip(String xml, StreamManagement.Nonza expected) throws Exception {
    StreamManagement.Nonza nonza = read(xml);
    assertThat(nonza).isEqualTo(expected);
    assertThat(nonza.toElement()).isEqualTo(Xml.parse(xml));
  }

  private static String written(StreamManagement.Nonza nonza) {
    return XmlWriter.toXml(nonza.toElement(), "jabber:client");
  }

  @Test
  void theStreamFeature() throws Exception {
    // Example 1
    roundTrip("<sm xmlns='urn:xmpp:sm:3'/>", new StreamManagement.Feature());
    assertThat(written(new StreamManagement.Feature())).isEqualTo("<sm xmlns='urn:xmpp:sm:3'/>");
  }

  @Test
  void enablingAndItsAnswers() throws Exception {
    // Examples 2, 3 and 4
    roundTrip("<enable xmlns='urn:xmpp:sm:3'/>",
        new StreamManagement.Enable(false, OptionalLong.empty()));
    roundTrip("<enabled xmlns='urn:xmpp:sm:3'/>", StreamManagement.Enabled.withoutResumption());
    roundTrip("<failed xmlns='urn:xmpp:sm:3'>"
            + "<unexpected-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>",
        StreamManagement.Failed.of(StanzaErrorCondition.UNEXPECTED_REQUEST));
  }

  @Test
  void requestsAndAcks() throws Exception {
    // Example 5 (simple stanza acking)
    roundTrip("<r xmlns='urn:xmpp:sm:3'/>", new StreamManagement.Request());
    roundTrip("<a xmlns='urn:xmpp:sm:3' h='1'/>", new StreamManagement.Ack(1));
    assertThat(written(new StreamManagement.Ack(4294967295L)))
        .isEqualTo("<a xmlns='urn:xmpp:sm:3' h='4294967295'/>");
  }

  @Test
  void resumption() throws Exception {
    // Examples 7 to 12, with numbers where the XEP writes "some-sequence-number"
    roundTrip("<enable xmlns='urn:xmpp:sm:3' resume='true'/>",
        new StreamManagement.Enable(true, OptionalLong.empty()));
    roundTrip("<enabled xmlns='urn:xmpp:sm:3' id='some-long-sm-id' resume='true'/>",
        new StreamManagement.Enabled(Optional.of("some-long-sm-id"), true, OptionalLong.empty(),
            Optional.empty()));
    roundTrip("<enabled xmlns='urn:xmpp:sm:3' id='some-long-sm-id'"
            + " location='[2001:41D0:1:A49b::1]:9222' resume='true'/>",
        new StreamManagement.Enabled(Optional.of("some-long-sm-id"), true, OptionalLong.empty(),
            Optional.of("[2001:41D0:1:A49b::1]:9222")));
    roundTrip("<resume xmlns='urn:xmpp:sm:3' h='3' previd='some-long-sm-id'/>",
        new StreamManagement.Resume("some-long-sm-id", 3));
    roundTrip("<resumed xmlns='urn:xmpp:sm:3' h='5' previd='some-long-sm-id'/>",
        new StreamManagement.Resumed("some-long-sm-id", 5));
    roundTrip("<failed xmlns='urn:xmpp:sm:3' h='5'>"
            + "<item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>",
        new StreamManagement.Failed(OptionalLong.of(5),
            Optional.of(StanzaErrorCondition.ITEM_NOT_FOUND)));
  }

  @Test
  void whatTheServerWritesLooksLikeTheExamples() {
    assertThat(written(new StreamManagement.Enabled(Optional.of("some-long-sm-id"), true,
        OptionalLong.of(300), Optional.empty())))
        .isEqualTo("<enabled xmlns='urn:xmpp:sm:3' id='some-long-sm-id' resume='true' max='300'/>");
    assertThat(written(new StreamManagement.Resumed("some-long-sm-id", 5)))
        .isEqualTo("<resumed xmlns='urn:xmpp:sm:3' h='5' previd='some-long-sm-id'/>");
    assertThat(written(StreamManagement.Failed.of(StanzaErrorCondition.ITEM_NOT_FOUND)))
        .isEqualTo("<failed xmlns='urn:xmpp:sm:3'>"
            + "<item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>");
  }

  @Test
  void theClientsPreferredMaximumAndBooleanSpellingsAreRead() throws Exception {
    assertThat(read("<enable xmlns='urn:xmpp:sm:3' resume='1' max='600'/>"))
        .isEqualTo(new StreamManagement.Enable(true, OptionalLong.of(600)));
    assertThat(read("<enable xmlns='urn:xmpp:sm:3' resume='0'/>"))
        .isEqualTo(new StreamManagement.Enable(false, OptionalLong.empty()));
    assertThat(read("<enable xmlns='urn:xmpp:sm:3' resume='false'/>"))
        .isEqualTo(new StreamManagement.Enable(false, OptionalLong.empty()));
  }

  @Test
  void aFailureWithoutAKnownConditionIsStillAFailure() throws Exception {
    assertThat(read("<failed xmlns='urn:xmpp:sm:3'/>"))
        .isEqualTo(new StreamManagement.Failed(OptionalLong.empty(), Optional.empty()));
    assertThat(read("<failed xmlns='urn:xmpp:sm:3'><x xmlns='urn:example'/></failed>"))
        .isEqualTo(new StreamManagement.Failed(OptionalLong.empty(), Optional.empty()));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "<a xmlns='urn:xmpp:sm:3'/>                                | 'h' is required",
      "<a xmlns='urn:xmpp:sm:3' h=''/>                           | not an unsigned 32-bit",
      "<a xmlns='urn:xmpp:sm:3' h='-1'/>                         | not an unsigned 32-bit",
      "<a xmlns='urn:xmpp:sm:3' h='4294967296'/>                 | not an unsigned 32-bit",
      "<a xmlns='urn:xmpp:sm:3' h='many'/>                       | not an unsigned 32-bit",
      "<enable xmlns='urn:xmpp:sm:3' resume='yes'/>              | not a boolean",
      "<enable xmlns='urn:xmpp:sm:3' resume='true' max='soon'/>  | 'max'",
      "<resume xmlns='urn:xmpp:sm:3' h='1'/>                     | 'previd' is required",
      "<resume xmlns='urn:xmpp:sm:3' h='1' previd=''/>           | 'previd' is required",
      "<resume xmlns='urn:xmpp:sm:3' previd='x'/>                | 'h' is required",
      "<resumed xmlns='urn:xmpp:sm:3' h='1'/>                    | 'previd' is required",
      "<enabled xmlns='urn:xmpp:sm:3' resume='true'/>            | needs an 'id'",
      "<failed xmlns='urn:xmpp:sm:3' h='x'/>                     | 'h'",
  })
  void malformedElementsAreBadFormat(String xml, String why) {
    assertThatThrownBy(() -> read(xml))
        .isInstanceOfSatisfying(StreamErrorException.class,
            e -> assertThat(e.condition()).isEqualTo(StreamErrorCondition.BAD_FORMAT))
        .hasMessageContaining(why);
  }

  @ParameterizedTest
  @ValueSource(strings = {"<t xmlns='urn:xmpp:sm:3'/>", "<enable-all xmlns='urn:xmpp:sm:3'/>"})
  void elementsTheXepDoesNotDefineAreUnsupported(String xml) {
    assertThatThrownBy(() -> read(xml))
        .isInstanceOfSatisfying(StreamErrorException.class, e -> assertThat(e.condition())
            .isEqualTo(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE));
  }

  @Test
  void aResumableEnabledNeedsAnId() {
    assertThatThrownBy(() -> new StreamManagement.Enabled(Optional.empty(), true,
        OptionalLong.empty(), Optional.empty())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void elementsOfOtherNamespacesAreNotParsedHere() {
    XmlElement old = XmlElement.builder("a", "urn:xmpp:sm:2").attribute("h", "1").build();
    assertThatThrownBy(() -> StreamManagement.parse(old))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
