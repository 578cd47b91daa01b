package dev.tern.it;

import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.UnparsedIQ;
import org.jxmpp.jid.impl.JidCreate;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Tern's receipt status query ({@code urn:tern:receipts:0}) as a client sends it: an IQ get to
 * the own account naming messages by peer and id; the answer is read attribute by attribute.
 */
final class ReceiptStatusQuery extends IQ {

  static final String NAMESPACE = "urn:tern:receipts:0";

  private final String with;
  private final List<String> ids;

  private ReceiptStatusQuery(String with, List<String> ids) {
    super("status", NAMESPACE);
    this.with = with;
    this.ids = ids;
    setType(Type.get);
  }

  @Override
  protected IQChildElementXmlStringBuilder getIQChildElementBuilder(
      IQChildElementXmlStringBuilder xml) {
    xml.rightAngleBracket();
    for (String id : ids) {
      xml.halfOpenElement("message").attribute("with", with).attribute("id", id)
          .closeEmptyElement();
    }
    return xml;
  }

  /** Each named message's answer attributes ({@code state}, {@code delivered}…), by id. */
  static Map<String, Map<String, String>> ask(XMPPConnection c, String with, String... ids)
      throws Exception {
    ReceiptStatusQuery query = new ReceiptStatusQuery(with, List.of(ids));
    query.setTo(JidCreate.entityBareFrom(c.getUser().asEntityBareJidString()));
    IQ result = c.sendIqRequestAndWaitForResponse(query);
    String content = ((UnparsedIQ) result).getContent().toString();
    var factory = DocumentBuilderFactory.newInstance();
    // Namespace-blind: the raw content may or may not repeat the xmlns of <status/>.
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Element status = factory.newDocumentBuilder()
        .parse(new InputSource(new StringReader(content))).getDocumentElement();
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    NodeList messages = status.getElementsByTagName("message");
    for (int i = 0; i < messages.getLength(); i++) {
      Element m = (Element) messages.item(i);
      Map<String, String> attributes = new LinkedHashMap<>();
      for (int a = 0; a < m.getAttributes().getLength(); a++) {
        attributes.put(m.getAttributes().item(a).getNodeName(),
            m.getAttributes().item(a).getNodeValue());
      }
      out.put(m.getAttribute("id"), attributes);
    }
    return out;
  }
}
