package dev.tern.router.blocking;

import static java.util.Objects.requireNonNull;

import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import java.util.Optional;

/**
 * XEP-0191 §5 (as XEP-0016 §2.1): whether a block list item covers a JID. Both are JIDs parsed
 * and prepared by xmpp-core (RFC 7622), so parts compare as strings.
 *
 * <ol>
 *   <li>{@code user@domain/resource}: only that resource;
 *   <li>{@code user@domain}: that user with any resource, and the bare JID;
 *   <li>{@code domain/resource}: only that resource of the domain itself;
 *   <li>{@code domain}: the domain itself, every address at it, and its subdomains.
 * </ol>
 *
 * <p>A string that is no JID (the edge stores and sends only JIDs it prepared, so none should
 * arrive) covers, and is covered by, nothing but the very same string.
 */
final class JidMatching {

  private JidMatching() {}

  /** {@code s} as a JID, if it is one. */
  static Optional<Jid> parse(String s) {
    requireNonNull(s, "s");
    try {
      return Optional.of(Jid.parse(s));
    } catch (JidMalformedException e) {
      return Optional.empty();
    }
  }

  /** Whether the block list item {@code item} covers {@code jid}. */
  static boolean matches(String item, String jid) {
    Optional<Jid> i = parse(item);
    Optional<Jid> j = parse(jid);
    return i.isPresent() && j.isPresent() ? matches(i.get(), j.get()) : item.equals(jid);
  }

  /** Whether the block list item {@code item} covers {@code jid}. */
  static boolean matches(Jid item, Jid jid) {
    if (item.local().isPresent()) {
      return item.local().equals(jid.local()) && item.domain().equals(jid.domain())
          && (item.resource().isEmpty() || item.resource().equals(jid.resource()));
    }
    if (item.resource().isPresent()) {
      return jid.local().isEmpty() && item.domain().equals(jid.domain())
          && item.resource().equals(jid.resource());
    }
    return jid.domain().equals(item.domain()) || jid.domain().endsWith("." + item.domain());
  }
}
