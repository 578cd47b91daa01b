package dev.tern.edge.fast;

import static java.util.Objects.requireNonNull;

import dev.tern.edge.sasl.SaslFailure;
import dev.tern.edge.sasl2.Sasl2Exception;
import dev.tern.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * What a SASL2 {@code <authenticate/>} asks of FAST (XEP-0484), from its inline requests.
 *
 * @param requestedMechanism the mechanism of {@code <request-token/>}: the client wants a token
 *     for it in the {@code <success/>} (XEP-0484 §3.2)
 * @param tokenAuthentication whether there was a {@code <fast/>}: the client says it
 *     authenticates with a token (XEP-0484 §3.4)
 * @param count the {@code count} of {@code <fast/>}, a replay counter for TLS 0-RTT; Tern does not
 *     offer 0-RTT (no {@code tls-0rtt} on the feature), so it is parsed but not checked
 * @param invalidate {@code <fast invalidate='true'/>}: once the token authenticated, it is to be
 *     invalidated (XEP-0484 §3.6)
 */
public record FastRequest(Optional<String> requestedMechanism, boolean tokenAuthentication,
    OptionalLong count, boolean invalidate) {

  /** An {@code <authenticate/>} without FAST elements. */
  public static final FastRequest NONE =
      new FastRequest(Optional.empty(), false, OptionalLong.empty(), false);

  public FastRequest {
    requireNonNull(requestedMechanism, "requestedMechanism");
    requireNonNull(count, "count");
    if (invalidate && !tokenAuthentication) {
      throw new IllegalArgumentException("invalidate is an attribute of <fast/>");
    }
  }

  /**
   * The FAST request among the inline requests of an {@code <authenticate/>}; {@link #NONE} when
   * there is none.
   *
   * @throws Sasl2Exception {@link SaslFailure#MALFORMED_REQUEST} for a {@code <request-token/>}
   *     without mechanism, two of an element, or a {@code count} or {@code invalidate} that is not
   *     a number or a boolean; {@link SaslFailure#INVALID_MECHANISM} for a token requested for a
   *     mechanism Tern does not have (XEP-0484 §3.2: it must be one the server advertised)
   */
  public static FastRequest parse(List<XmlElement> inlineRequests) throws Sasl2Exception {
    requireNonNull(inlineRequests, "inlineRequests");
    XmlElement request = only(inlineRequests, "request-token");
    XmlElement fast = only(inlineRequests, "fast");
    Optional<String> mechanism = Optional.empty();
    if (request != null) {
      String name = request.attribute("mechanism").orElse("");
      if (name.isEmpty()) {
        throw new Sasl2Exception(SaslFailure.MALFORMED_REQUEST,
            "<request-token/> names no mechanism");
      }
      if (HtMechanism.forName(name).isEmpty()) {
        throw new Sasl2Exception(SaslFailure.INVALID_MECHANISM,
            "no FAST token can be issued for " + name);
      }
      mechanism = Optional.of(name);
    }
    if (fast == null) {
      return new FastRequest(mechanism, false, OptionalLong.empty(), false);
    }
    return new FastRequest(mechanism, true, count(fast), invalidate(fast));
  }

  private static @Nullable XmlElement only(List<XmlElement> elements, String name)
      throws Sasl2Exception {
    @Nullable XmlElement found = null;
    for (XmlElement e : elements) {
      if (e.name().equals(name) && e.namespace().equals(FastTokens.NAMESPACE)) {
        if (found != null) {
          throw new Sasl2Exception(SaslFailure.MALFORMED_REQUEST, "more than one <" + name + "/>");
        }
        found = e;
      }
    }
    return found;
  }

  private static OptionalLong count(XmlElement fast) throws Sasl2Exception {
    Optional<String> text = fast.attribute("count");
    if (text.isEmpty()) {
      return OptionalLong.empty();
    }
    String digits = text.get();
    if (digits.isEmpty() || digits.length() > 18
        || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new Sasl2Exception(SaslFailure.MALFORMED_REQUEST,
          "the count of <fast/> is not a number");
    }
    return OptionalLong.of(Long.parseLong(digits));
  }

  // XML Schema boolean: true, false, 1, 0.
  private static boolean invalidate(XmlElement fast) throws Sasl2Exception {
    String value = fast.attribute("invalidate").orElse("false");
    return switch (value) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default -> throw new Sasl2Exception(SaslFailure.MALFORMED_REQUEST,
          "invalidate of <fast/> is not a boolean");
    };
  }
}
