package dev.tern.edge.csi;

import dev.tern.edge.session.EdgeModule;
import dev.tern.edge.session.Session;
import dev.tern.edge.session.SessionModule;
import dev.tern.edge.session.SessionState;
import dev.tern.xmpp.xml.StreamErrorCondition;
import dev.tern.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Set;

/** XEP-0352 Client State Indication: the client says whether it is active (default) or not. */
public final class CsiModule implements EdgeModule {

  public static final String NAMESPACE = "urn:xmpp:csi:0";

  @Override
  public Set<String> nonzaNamespaces() {
    return Set.of(NAMESPACE);
  }

  @Override
  public SessionModule attach(Session session) {
    return new ClientState(session);
  }

  /** One session's indication. */
  public static final class ClientState implements SessionModule {

    private final Session session;
    private boolean active = true;

    ClientState(Session session) {
      this.session = session;
    }

    /** XEP-0352: whether the client said it is active (default) or inactive. */
    public boolean active() {
      return active;
    }

    /** As an inline request of Bind 2 (XEP-0386 §5) sets it. */
    public void active(boolean on) {
      active = on;
    }

    @Override
    public void features(SessionState state, List<XmlElement> out) {
      if (state == SessionState.AUTHENTICATED || state == SessionState.BOUND) {
        out.add(XmlElement.builder("csi", NAMESPACE).build());
      }
    }

    @Override
    public void nonza(XmlElement element) {
      if (session.state() != SessionState.BOUND) {
        session.streamError(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE,
            "<" + element.name() + " xmlns='" + NAMESPACE + "'> is not handled here");
        return;
      }
      active = element.name().equals("active"); // XEP-0352 §4
    }
  }
}
