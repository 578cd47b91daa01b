package dev.tern.edge.mam;

import dev.tern.edge.iq.IqError;
import dev.tern.xmpp.jid.Jid;
import dev.tern.xmpp.jid.JidMalformedException;
import dev.tern.xmpp.xml.StanzaErrorCondition;
import dev.tern.xmpp.xml.XmlElement;
import dev.tern.routing.mam.MamRequest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a XEP-0313 {@code <query/>} into a {@link MamRequest}: the XEP-0004 form's fields (§4.1)
 * and the XEP-0059 {@code <set/>}. Anything it cannot honour is {@code bad-request} (§4.1.5: an
 * unknown field too), except a RSM {@code <index/>}, which is {@code feature-not-implemented}.
 */
public final class MamQueryParser {

  public static final String DATA = "jabber:x:data";
  public static final String RSM = "http://jabber.org/protocol/rsm";

  private MamQueryParser() {}

  /** The query of {@code user} (a bare JID) that {@code query} asks. */
  public static MamRequest parse(XmlElement query, String user) {
    MamRequest.Builder b = new MamRequest.Builder(user);
    if (query.attribute("node").isPresent()) {
      throw new IqError(StanzaErrorCondition.ITEM_NOT_FOUND, "a user's archive has no nodes");
    }
    Optional<XmlElement> form = query.child("x", DATA);
    if (form.isPresent()) {
      readForm(form.get(), b);
    }
    Optional<XmlElement> set = query.child("set", RSM);
    if (set.isPresent()) {
      readSet(set.get(), b);
    }
    if (query.child("flip-page", MamHandler.NAMESPACE).isPresent()) {
      b.flipPage();
    }
    return b.build();
  }

  private static void readForm(XmlElement x, MamRequest.Builder b) {
    String type = x.attribute("type").orElse("submit");
    if (!type.equals("submit")) {
      throw bad("the form must be of type 'submit'");
    }
    for (XmlElement field : x.elements()) {
      if (!field.name().equals("field") || !field.namespace().equals(DATA)) {
        continue;
      }
      String var = field.attribute("var").orElseThrow(() -> bad("a field without 'var'"));
      List<String> values = values(field);
      switch (var) {
        case "FORM_TYPE" -> {
          if (!values.equals(List.of(MamHandler.NAMESPACE))) {
            throw bad("FORM_TYPE must be " + MamHandler.NAMESPACE);
          }
        }
        case "with" -> single(var, values).ifPresent(v -> b.with(bareJid(v)));
        case "start" -> single(var, values).ifPresent(v -> b.start(instant(var, v)));
        case "end" -> single(var, values).ifPresent(v -> b.end(instant(var, v)));
        case "after-id" -> single(var, values).ifPresent(b::afterId);
        case "before-id" -> single(var, values).ifPresent(b::beforeId);
        case "ids" -> {
          if (values.size() > MamRequest.MAX_PAGE) {
            throw bad("at most " + MamRequest.MAX_PAGE + " ids");
          }
          b.ids(values);
        }
        default -> throw bad("unsupported field '" + var + "'");
      }
    }
  }

  private static void readSet(XmlElement set, MamRequest.Builder b) {
    for (XmlElement e : set.elements()) {
      if (!e.namespace().equals(RSM)) {
        continue;
      }
      String text = e.text().strip();
      switch (e.name()) {
        case "max" -> {
          int max;
          try {
            max = Integer.parseInt(text);
          } catch (NumberFormatException ex) {
            throw bad("max is not a number: " + text);
          }
          if (max < 0) {
            throw bad("max must not be negative");
          }
          b.max(Math.min(max, MamRequest.MAX_PAGE)); // XEP-0059 §2.1: the server may cap it
        }
        case "after" -> {
          if (text.isEmpty()) {
            throw bad("an empty <after/>");
          }
          b.after(text);
        }
        case "before" -> b.before(text); // empty: the last page (XEP-0059 §2.5)
        case "index" -> throw new IqError(StanzaErrorCondition.FEATURE_NOT_IMPLEMENTED,
            "paging by index is not supported; use after and before");
        default -> throw bad("unsupported RSM element <" + e.name() + "/>");
      }
    }
  }

  private static List<String> values(XmlElement field) {
    List<String> out = new ArrayList<>();
    for (XmlElement v : field.elements()) {
      if (v.name().equals("value") && v.namespace().equals(DATA)) {
        out.add(v.text().strip());
      }
    }
    return out;
  }

  /** A single-valued field: absent or empty means no filter. */
  private static Optional<String> single(String var, List<String> values) {
    if (values.size() > 1) {
      throw bad("field '" + var + "' takes one value");
    }
    return values.stream().filter(v -> !v.isEmpty()).findFirst();
  }

  /** XEP-0313 §4.1.1: a full JID is matched by its bare JID here (1:1 chats are per account). */
  private static String bareJid(String value) {
    try {
      Jid jid = Jid.parse(value);
      return jid.bare().toString();
    } catch (JidMalformedException e) {
      throw bad("'with' is not a JID: " + value);
    }
  }

  /** XEP-0082 DateTime, e.g. {@code 2010-06-07T00:00:00Z} or with an offset and fractions. */
  private static Instant instant(String var, String value) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw bad("'" + var + "' is not a XEP-0082 DateTime: " + value);
    }
  }

  private static IqError bad(String text) {
    return new IqError(StanzaErrorCondition.BAD_REQUEST, text);
  }
}
