package dev.tern.edge.sasl;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What SASL needs to know of the stream it authenticates.
 *
 * @param tlsActive whether the stream runs over TLS (STARTTLS done, or Direct TLS); PLAIN is
 *     offered only then
 * @param channelBindings the channel bindings of that TLS connection, in the server's order of
 *     preference; empty without TLS, and empty when none could be computed (then no -PLUS
 *     mechanism is offered)
 * @param domain the XMPP domain the stream is addressed to; an authzid may name the user's bare
 *     JID at this domain
 * @param attempts what the earlier attempts on the same stream showed; the same object for every
 *     attempt of a stream
 */
public record SaslContext(boolean tlsActive, List<ChannelBinding> channelBindings, String domain,
    BindingAttempts attempts) {

  public SaslContext {
    channelBindings = List.copyOf(requireNonNull(channelBindings, "channelBindings"));
    requireNonNull(domain, "domain");
    requireNonNull(attempts, "attempts");
    if (!tlsActive && !channelBindings.isEmpty()) {
      throw new IllegalArgumentException("channel bindings without TLS");
    }
    Set<String> types = new HashSet<>();
    for (ChannelBinding b : channelBindings) {
      if (!types.add(b.type())) {
        throw new IllegalArgumentException("two channel bindings of type " + b.type());
      }
    }
    if (domain.isEmpty()) {
      throw new IllegalArgumentException("domain: must not be empty");
    }
  }

  /** The context of a stream on which nothing was attempted yet. */
  public SaslContext(boolean tlsActive, List<ChannelBinding> channelBindings, String domain) {
    this(tlsActive, channelBindings, domain, new BindingAttempts());
  }

  /** The binding of {@code type}, if the TLS layer provided one. */
  public Optional<ChannelBinding> channelBinding(String type) {
    requireNonNull(type, "type");
    return channelBindings.stream().filter(b -> b.type().equals(type)).findFirst();
  }
}
