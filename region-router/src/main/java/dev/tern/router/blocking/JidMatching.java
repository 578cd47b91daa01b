package dev.tern.router.blocking;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * XEP-0191 §5 (as XEP-0016 §2.1): whether a block list item covers a JID. Both are canonical
 * JIDs (RFC 7622) as the edge prepared them, so parts compare as strings.
 *
 * <ol>
 *   <li>{@code user@domain/resource}: only that resource;
 *   <li>{@code user@domain}: that user with any resource, and the bare JID;
 *   <li>{@code domain/resource}: only that resource of the domain itself;
 *   <li>{@code domain}: the domain itself, every address at it, and its subdomains.
 * </ol>
 */
final class JidMatching {

  private JidMatching() {}

  /** A JID split as RFC 7622 §3.1 does: at the first '/', then at the first '@' before it. */
  record Parts(@Nullable String local, String domain, @Nullable String resource) {

    static Parts of(String jid) {
      requireNonNull(jid, "jid");
      int slash = jid.indexOf('/');
      String head = slash < 0 ? jid : jid.substring(0, slash);
      int at = head.indexOf('@');
      return new Parts(at < 0 ? null : head.substring(0, at), at < 0 ? head : head.substring(at + 1),
          slash < 0 ? null : jid.substring(slash + 1));
    }
  }

  /** Whether the block list item {@code item} covers {@code jid}. */
  static boolean matches(String item, String jid) {
    Parts i = Parts.of(item);
    Parts j = Parts.of(jid);
    if (i.local() != null) {
      return i.local().equals(j.local()) && i.domain().equals(j.domain())
          && (i.resource() == null || i.resource().equals(j.resource()));
    }
    if (i.resource() != null) {
      return j.local() == null && i.domain().equals(j.domain()) && i.resource().equals(j.resource());
    }
    return j.domain().equals(i.domain()) || j.domain().endsWith("." + i.domain());
  }

  /** The bare JID of {@code jid} (itself if it has no resource). */
  static String bare(String jid) {
    int slash = jid.indexOf('/');
    return slash < 0 ? jid : jid.substring(0, slash);
  }
}
