package dev.tern.router.pep;

import dev.tern.xmpp.xml.XmlElement;

/** XEP-0060's namespaces and the elements the router builds. */
final class Pubsub {

  static final String NS = "http://jabber.org/protocol/pubsub";
  static final String OWNER = "http://jabber.org/protocol/pubsub#owner";
  static final String EVENT = "http://jabber.org/protocol/pubsub#event";
  static final String ERRORS = "http://jabber.org/protocol/pubsub#errors";
  static final String DATA = "jabber:x:data";
  static final String DISCO_INFO = "http://jabber.org/protocol/disco#info";
  static final String DISCO_ITEMS = "http://jabber.org/protocol/disco#items";
  static final String NODE_CONFIG = "http://jabber.org/protocol/pubsub#node_config";
  static final String PUBLISH_OPTIONS = "http://jabber.org/protocol/pubsub#publish-options";

  private Pubsub() {}

  static XmlElement.Builder element(String name, String namespace) {
    return XmlElement.builder(name, namespace);
  }
}
