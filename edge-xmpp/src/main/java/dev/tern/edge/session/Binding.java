package dev.tern.edge.session;

import dev.tern.edge.iq.IqDispatcher;
import dev.tern.edge.register.RegisterHandler;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.StreamErrorCondition;
import dev.tern.xmpp.xml.XmlElement;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The addresses of a stream's stanzas (RFC 6120 §8.1.2) and what a stream may send before a
 * resource is bound: registration IQs (XEP-0077) before and
 * after authentication, and the bind IQ (RFC 6120 §7) after it.
 */
final class Binding {

  static final String NAMESPACE = "urn:ietf:params:xml:ns:xmpp-bind";

  private final XmppSession session;
  private final EdgeServices services;

  Binding(XmppSession session, EdgeServices services) {
    this.session = session;
    this.services = services;
  }

  /**
   * A stanza of a stream not yet bound: handled, refused, or the stream ends. Only requests of
   * the negotiation itself are taken (RFC 6120 §7.1: before binding a client may send no other
   * stanza); anything else, answers (IQ result or error) included, ends the stream with
   * {@code <not-authorized/>}, so nothing unstamped is ever routed.
   */
  void beforeBinding(XmlElement stanza) {
    if (!isRequest(stanza)) {
      session.streamError(StreamErrorCondition.NOT_AUTHORIZED,
          session.state() == SessionState.NEGOTIATING ? "authenticate first"
              : "bind a resource first");
    } else if (session.state() == SessionState.NEGOTIATING) {
      if (services.config().registration() && isRegistration(stanza)
          && stanza.elements().size() == 1) {
        if (stanza.attribute("type").orElse("").equals("set")
            && !session.registrationAdmitted()) {
          session.replyError(stanza, StanzaErrorCondition.RESOURCE_CONSTRAINT,
              "too many registrations, try again later");
          return;
        }
        services.iqs().dispatch(session, stanza);
      } else {
        session.streamError(StreamErrorCondition.NOT_AUTHORIZED, "authenticate first");
      }
    } else if (stanza.child("bind", NAMESPACE).isPresent()) {
      bind(stanza);
    } else if (isRegistration(stanza)) {
      services.iqs().dispatch(session, stanza);
    } else {
      session.streamError(StreamErrorCondition.NOT_AUTHORIZED, "bind a resource first");
    }
  }

  /**
   * A bound client's stanza with its {@code from} stamped (RFC 6120 §8.1.2.1: a client may only
   * name itself), or null after the stream error or stanza error a bad address gets.
   */
  @Nullable XmlElement stamp(XmlElement stanza) {
    Jid self = session.boundJid();
    Optional<String> from = stanza.attribute("from");
    if (from.isPresent()) {
      Optional<Jid> claimed = parse(from.get());
      if (claimed.isEmpty() || !(claimed.get().equals(self) || claimed.get().equals(self.bare()))) {
        session.streamError(StreamErrorCondition.INVALID_FROM, "'from' is not your address");
        return null;
      }
    }
    XmlElement stamped = stanza.toBuilder().attribute("from", self.toString()).build();
    Optional<String> to = stamped.attribute("to");
    if (to.isPresent() && parse(to.get()).isEmpty()) {
      session.replyError(stamped, StanzaErrorCondition.JID_MALFORMED, "'to' is not a valid address");
      return null;
    }
    return stamped;
  }

  private static Optional<Jid> parse(String jid) {
    try {
      return Optional.of(Jid.parse(jid));
    } catch (JidMalformedException e) {
      return Optional.empty();
    }
  }

  /** An IQ get or set: the only stanzas negotiation takes (registration, binding). */
  private static boolean isRequest(XmlElement stanza) {
    String type = stanza.attribute("type").orElse("");
    return stanza.name().equals("iq") && (type.equals("get") || type.equals("set"));
  }

  private static boolean isRegistration(XmlElement stanza) {
    return stanza.name().equals("iq") && !stanza.elements().isEmpty()
        && stanza.elements().get(0).namespace().equals(RegisterHandler.NAMESPACE);
  }

  /** RFC 6120 §7.6: binds the requested resource, or one of the server's making. */
  private void bind(XmlElement iq) {
    XmlElement bind = iq.child("bind", NAMESPACE).orElseThrow();
    if (!iq.attribute("type").orElse("").equals("set")) {
      session.replyError(iq, StanzaErrorCondition.BAD_REQUEST, "bind with type 'set'");
      return;
    }
    String requested = bind.child("resource", NAMESPACE).map(XmlElement::text)
        .map(String::strip).orElse("");
    String resource = requested.isEmpty()
        ? "tern-" + XmppSession.randomId().substring(0, 10) : requested;
    Jid jid;
    try {
      jid = Jid.of(session.username().orElseThrow(), session.domain(), resource);
    } catch (IllegalArgumentException e) {
      session.replyError(iq, StanzaErrorCondition.BAD_REQUEST, "not a valid resource: "
          + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
      return;
    }
    session.bindTo(jid);
    session.send(IqDispatcher.result(session, iq).child(XmlElement.builder("bind", NAMESPACE)
        .child(XmlElement.builder("jid", NAMESPACE).text(jid.toString()).build())
        .build()).build());
    session.announceBound();
  }
}
