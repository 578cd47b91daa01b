package dev.tern.routing;

import static java.util.Objects.requireNonNull;

import io.nats.client.impl.Headers;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A router's refusal of what an edge asked, as the stanza error the edge answers the client
 * with (RFC 6120 §8.3): the defined condition, the error type and an optional application-specific
 * condition. It travels as reply headers; a reply without them is no refusal.
 *
 * @param condition the defined condition's element name, e.g. {@code service-unavailable}
 * @param type the error type, e.g. {@code cancel}
 * @param application the application-specific condition in Clark notation
 *     ({@code {namespace}name}), e.g. XEP-0191's {@code {urn:xmpp:blocking:errors}blocked}
 */
public record Refusal(String condition, String type, Optional<String> application) {

  public static final String CONDITION = "Tern-Error-Condition";
  public static final String TYPE = "Tern-Error-Type";
  public static final String APPLICATION = "Tern-Error-Application";

  public Refusal {
    requireNonNull(condition, "condition");
    requireNonNull(type, "type");
    requireNonNull(application, "application");
    if (application.isPresent() && !application.get().matches("\\{[^}]+}.+")) {
      throw new IllegalArgumentException("not {namespace}name: " + application.get());
    }
  }

  public static Refusal of(String condition, String type) {
    return new Refusal(condition, type, Optional.empty());
  }

  /** RFC 6120 §8.3.3.6, for a failure of the router or its storage. */
  public static final Refusal INTERNAL_SERVER_ERROR = of("internal-server-error", "cancel");

  /** These headers on a reply, with {@link MessageWire#ERROR} too for readers that only know it. */
  public Headers toHeaders() {
    Headers h = new Headers().add(MessageWire.ERROR, WireText.encode(condition))
        .add(CONDITION, WireText.encode(condition))
        .add(TYPE, WireText.encode(type));
    application.ifPresent(a -> h.add(APPLICATION, WireText.encode(a)));
    return h;
  }

  /** The refusal a reply carries, if any. */
  public static Optional<Refusal> from(@Nullable Headers headers) {
    if (headers == null || WireText.header(headers, CONDITION) == null) {
      return Optional.empty();
    }
    String type = WireText.header(headers, TYPE);
    return Optional.of(new Refusal(WireText.header(headers, CONDITION),
        type == null ? "cancel" : type,
        Optional.ofNullable(WireText.header(headers, APPLICATION))));
  }
}
