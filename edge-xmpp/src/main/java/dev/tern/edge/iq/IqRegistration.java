package dev.tern.edge.iq;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;

/**
 * Which IQs a handler takes, as data (the way Prosody's {@code iq-get/host/urn:xmpp:ping:ping}
 * route keys read), and which disco features it advertises.
 *
 * @param types {@code get} and/or {@code set}
 * @param element the payload's element name
 * @param namespace the payload's namespace
 * @param addressing whom the IQ must be addressed to
 * @param beforeAuthentication whether it may arrive before SASL (only XEP-0077 registration)
 * @param features disco#info features this handler adds (XEP-0030)
 * @param identities disco#info identities this handler adds beside the addressee's own (XEP-0163
 *     §4: an account's PEP service is {@code pubsub/pep})
 */
public record IqRegistration(
    Set<String> types,
    String element,
    String namespace,
    Addressing addressing,
    boolean beforeAuthentication,
    List<String> features,
    List<Identity> identities) {

  /** A disco#info identity (XEP-0030 §3.1): its category and type. */
  public record Identity(String category, String type) {
    public Identity {
      requireNonNull(category, "category");
      requireNonNull(type, "type");
    }
  }

  /** A handler that adds no identity. */
  public IqRegistration(Set<String> types, String element, String namespace,
      Addressing addressing, boolean beforeAuthentication, List<String> features) {
    this(types, element, namespace, addressing, beforeAuthentication, features, List.of());
  }

  /** The addressee an IQ must have for this handler. */
  public enum Addressing {
    /** The domain itself, or no {@code to} at all (RFC 6120 §10.3). */
    SERVER,
    /**
     * The sender's own bare JID, or no {@code to} when no {@link #SERVER} handler takes the IQ
     * (RFC 6120 §10.3.3: the server answers on behalf of the account).
     */
    OWN_ACCOUNT,
    /**
     * Another user's bare JID on this domain: the server answers on that user's behalf (RFC
     * 6121 §8.5.2.1.3), e.g. XEP-0012 last activity.
     */
    OTHER_USER,
  }

  public IqRegistration {
    types = Set.copyOf(requireNonNull(types, "types"));
    requireNonNull(element, "element");
    requireNonNull(namespace, "namespace");
    requireNonNull(addressing, "addressing");
    features = List.copyOf(requireNonNull(features, "features"));
    identities = List.copyOf(requireNonNull(identities, "identities"));
    if (types.isEmpty() || !Set.of("get", "set").containsAll(types)) {
      throw new IllegalArgumentException("IQ types are get and/or set: " + types);
    }
  }

  /** A route key for logs and duplicates: {@code get/set element namespace addressing}. */
  String key(String type) {
    return type + "/" + element + "/" + namespace + "/" + addressing;
  }
}
