package dev.tern.xmpp.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class XmlElementTest {

  private final XmlElement query = XmlElement.builder("query", "jabber:iq:roster").build();
  private final XmlElement iq = XmlElement.builder("iq", "jabber:client")
      .attribute("id", "1").attribute("type", "get")
      .text("a").child(query).text("b").text("c").child(new XmlText("d"))
      .build();

  @Test
  void adjacentTextIsMergedAndEmptyTextDropped() {
    XmlElement element = XmlElement.builder("body", "jabber:client")
        .text("").text("Art ").child(new XmlText("thou")).text("").text("?").build();

    assertThat(element.children()).containsExactly(new XmlText("Art thou?"));
  }

  @Test
  void accessorsFindChildrenTextAndAttributes() {
    assertThat(iq.name()).isEqualTo("iq");
    assertThat(iq.namespace()).isEqualTo("jabber:client");
    assertThat(iq.children()).containsExactly(new XmlText("a"), query, new XmlText("bcd"));
    assertThat(iq.elements()).containsExactly(query);
    assertThat(iq.child("query", "jabber:iq:roster")).contains(query);
    assertThat(iq.child("query", "jabber:iq:private")).isEmpty();
    assertThat(iq.text()).isEqualTo("abcd");
    assertThat(iq.attribute("type")).contains("get");
    assertThat(iq.attribute("to")).isEmpty();
  }

  @Test
  void elementsAreEqualByStructureWhateverTheAttributeOrder() {
    XmlElement same = XmlElement.builder("iq", "jabber:client")
        .attribute("type", "get").attribute("id", "1")
        .text("ab").child(query).text("bcd").build();
    XmlElement sameWithMergedText = XmlElement.builder("iq", "jabber:client")
        .attribute("type", "get").attribute("id", "1")
        .text("a").child(query).text("bcd").build();

    assertThat(sameWithMergedText).isEqualTo(iq).hasSameHashCodeAs(iq);
    assertThat(same).isNotEqualTo(iq);
    assertThat(XmlElement.builder("iq", "jabber:server").build())
        .isNotEqualTo(XmlElement.builder("iq", "jabber:client").build());
  }

  @Test
  void toBuilderCopiesEverythingAndLeavesTheOriginalUntouched() {
    XmlElement changed = iq.toBuilder().attribute("type", "set").removeAttribute("id")
        .text("e").build();

    assertThat(changed.attributes()).containsExactly(Map.entry("type", "set"));
    assertThat(changed.children()).containsExactly(new XmlText("a"), query, new XmlText("bcde"));
    assertThat(iq.attributes()).containsEntry("id", "1").containsEntry("type", "get");
    assertThat(iq.text()).isEqualTo("abcd");
  }

  @Test
  void theCollectionsItReturnsCannotBeModified() {
    assertThatThrownBy(() -> iq.attributes().put("to", "x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> iq.children().add(query))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> iq.elements().add(query))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void namespaceDeclarationsAndEmptyNamesAreNotAttributes() {
    assertThatThrownBy(() -> XmlElement.builder("iq", "jabber:client").attribute("xmlns", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> XmlElement.builder("iq", "jabber:client").attribute("xmlns:p", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> XmlElement.builder("iq", "jabber:client").attribute("", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> XmlElement.builder("", "jabber:client"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void namesThatWouldBreakTheMarkupAreRefused() {
    for (String name : new String[] {"a b", "a>", "a/", "p:a", "a='x'", "<a", "{a"}) {
      assertThatThrownBy(() -> XmlElement.builder(name, "urn:x"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> XmlElement.builder("a", "urn:x").attribute(name, "v"))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(XmlElement.builder("a", "urn:x").attribute("xml:lang", "en")
        .attribute("{urn:y}b", "1").attribute("c-d.e_f", "2").build().attributes())
        .containsOnlyKeys("xml:lang", "{urn:y}b", "c-d.e_f");
  }

  @Test
  void toStringIsTheStandaloneXml() {
    assertThat(iq).hasToString("<iq xmlns='jabber:client' id='1' type='get'>a"
        + "<query xmlns='jabber:iq:roster'/>bcd</iq>");
  }
}
