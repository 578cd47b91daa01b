package dev.tern.edge.mam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.edge.iq.IqError;
import dev.tern.xmpp.xml.Xml;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.XmlElement;
import dev.tern.routing.mam.MamRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Queries from XEP-0313's and XEP-0059's examples, and malformed ones with their errors. */
class MamQueryParserTest {

  private static final String USER = "juliet@capulet.lit";

  private static XmlElement query(String inner) {
    return Xml.parse("<query xmlns='urn:xmpp:mam:2' queryid='f27'>" + inner
        + "</query>");
  }

  private static String form(String fields) {
    return "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'>"
        + "<value>urn:xmpp:mam:2</value></field>" + fields + "</x>";
  }

  private static String field(String var, String... values) {
    StringBuilder sb = new StringBuilder("<field var='" + var + "'>");
    for (String v : values) {
      sb.append("<value>").append(v).append("</value>");
    }
    return sb.append("</field>").toString();
  }

  @Test
  void anEmptyQueryAsksForTheFirstDefaultPageOfTheWholeArchive() {
    assertThat(MamQueryParser.parse(query(""), USER)).isEqualTo(MamRequest.all(USER));
  }

  @Test
  void theFormsFiltersAreRead() {
    MamRequest q = MamQueryParser.parse(query(form(field("with", "romeo@montague.lit")
        + field("start", "2010-06-07T00:00:00Z") + field("end", "2010-07-07T13:23:54+02:00")
        + field("after-id", "28482-98726-73623") + field("before-id", "09af3-cc343-b409f")
        + field("ids", "a", "b"))), USER);

    assertThat(q.with()).contains("romeo@montague.lit");
    assertThat(q.start()).contains(Instant.parse("2010-06-07T00:00:00Z"));
    assertThat(q.end()).contains(Instant.parse("2010-07-07T11:23:54Z"));
    assertThat(q.afterId()).contains("28482-98726-73623");
    assertThat(q.beforeId()).contains("09af3-cc343-b409f");
    assertThat(q.ids()).containsExactly("a", "b");
  }

  @Test
  void aFullJidInWithIsMatchedByItsBareJid() {
    MamRequest q = MamQueryParser.parse(query(form(field("with", "Romeo@Montague.lit/orchard"))),
        USER);

    assertThat(q.with()).contains("romeo@montague.lit");
  }

  @Test
  void theResultSetsPagingIsRead() {
    MamRequest q = MamQueryParser.parse(query("<set xmlns='http://jabber.org/protocol/rsm'>"
        + "<max>10</max><after>09af3-cc343-b409f</after></set>"), USER);

    assertThat(q.max()).isEqualTo(10);
    assertThat(q.after()).contains("09af3-cc343-b409f");
    assertThat(q.backwards()).isFalse();
  }

  @Test
  void anEmptyBeforeAsksForTheLastPageAndFlipPageIsRead() {
    MamRequest q = MamQueryParser.parse(query("<set xmlns='http://jabber.org/protocol/rsm'>"
        + "<max>20</max><before/></set><flip-page/>"), USER);

    assertThat(q.before()).contains("");
    assertThat(q.backwards()).isTrue();
    assertThat(q.flipPage()).isTrue();
  }

  @Test
  void aMaxAboveTheLimitIsCapped() {
    MamRequest q = MamQueryParser.parse(query("<set xmlns='http://jabber.org/protocol/rsm'>"
        + "<max>100000</max></set>"), USER);

    assertThat(q.max()).isEqualTo(MamRequest.MAX_PAGE);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>urn:xmpp:mam:1</value></field></x>",
      "<x xmlns='jabber:x:data' type='submit'><field var='unknown'><value>1</value></field></x>",
      "<x xmlns='jabber:x:data' type='submit'><field var='start'><value>yesterday</value></field></x>",
      "<x xmlns='jabber:x:data' type='submit'><field var='with'><value>@@</value></field></x>",
      "<x xmlns='jabber:x:data' type='submit'><field var='with'><value>a@b</value><value>c@d</value></field></x>",
      "<x xmlns='jabber:x:data' type='form'/>",
      "<set xmlns='http://jabber.org/protocol/rsm'><max>ten</max></set>",
      "<set xmlns='http://jabber.org/protocol/rsm'><max>-1</max></set>",
      "<set xmlns='http://jabber.org/protocol/rsm'><after/></set>",
  })
  void aMalformedQueryIsABadRequest(String inner) {
    assertThatThrownBy(() -> MamQueryParser.parse(query(inner), USER))
        .isInstanceOfSatisfying(IqError.class,
            e -> assertThat(e.condition()).isEqualTo(StanzaErrorCondition.BAD_REQUEST));
  }

  @Test
  void pagingByIndexIsNotImplemented() {
    assertThatThrownBy(() -> MamQueryParser.parse(query(
            "<set xmlns='http://jabber.org/protocol/rsm'><index>3</index></set>"), USER))
        .isInstanceOfSatisfying(IqError.class, e -> assertThat(e.condition())
            .isEqualTo(StanzaErrorCondition.FEATURE_NOT_IMPLEMENTED));
  }

  @Test
  void emptyFieldsFilterNothing() {
    MamRequest q = MamQueryParser.parse(query(form("<field var='with'/>" + field("start", ""))),
        USER);

    assertThat(q.with()).isEqualTo(Optional.empty());
    assertThat(q.start()).isEmpty();
    assertThat(q.ids()).isEqualTo(List.of());
  }
}
