package dev.tern.edge.caps;

import dev.tern.xmpp.xml.XmlElement;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * XEP-0115: the {@code <c/>} a client puts in its presence, and the verification string of a
 * disco#info answer (§5.1), so that features learnt from one client are trusted for another
 * client announcing the same {@code ver} only when they hash to it (§5.4).
 */
public final class EntityCaps {

  public static final String NS = "http://jabber.org/protocol/caps";
  public static final String DISCO_INFO = "http://jabber.org/protocol/disco#info";
  private static final String DATA = "jabber:x:data";

  /** A presence's capabilities: {@code node}, {@code ver} and the {@code hash} it was made with. */
  public record Caps(String node, String ver, String hash) {}

  private EntityCaps() {}

  /** The {@code <c/>} of a presence, if it has a complete one. */
  public static Optional<Caps> of(XmlElement presence) {
    return presence.child("c", NS).flatMap(c -> {
      Optional<String> node = c.attribute("node");
      Optional<String> ver = c.attribute("ver");
      if (node.isEmpty() || ver.isEmpty() || ver.get().isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new Caps(node.get(), ver.get(), c.attribute("hash").orElse("")));
    });
  }

  /** The features of a disco#info {@code <query/>}. */
  public static Set<String> features(XmlElement query) {
    Set<String> out = new TreeSet<>();
    for (XmlElement e : query.elements()) {
      if (e.name().equals("feature") && e.namespace().equals(DISCO_INFO)) {
        e.attribute("var").ifPresent(out::add);
      }
    }
    return Set.copyOf(out);
  }

  /** §5.1: the SHA-1 verification string of a disco#info {@code <query/>}. */
  public static String sha1Ver(XmlElement query) {
    StringBuilder s = new StringBuilder();
    List<String> identities = new ArrayList<>();
    for (XmlElement e : query.elements()) {
      if (e.name().equals("identity") && e.namespace().equals(DISCO_INFO)) {
        identities.add(e.attribute("category").orElse("") + "/" + e.attribute("type").orElse("")
            + "/" + e.attribute("xml:lang").orElse("") + "/" + e.attribute("name").orElse(""));
      }
    }
    identities.sort(Comparator.naturalOrder());
    identities.forEach(i -> s.append(i).append('<'));
    List<String> features = new ArrayList<>(features(query));
    features.sort(Comparator.naturalOrder());
    features.forEach(f -> s.append(f).append('<'));
    List<List<String>> forms = new ArrayList<>(); // each: FORM_TYPE, then its fields' strings
    for (XmlElement x : query.elements()) {
      if (!x.name().equals("x") || !x.namespace().equals(DATA)) {
        continue;
      }
      String formType = null;
      List<String> fields = new ArrayList<>();
      for (XmlElement field : x.elements()) {
        if (!field.name().equals("field")) {
          continue;
        }
        List<String> values = new ArrayList<>();
        for (XmlElement v : field.elements()) {
          if (v.name().equals("value")) {
            values.add(v.text());
          }
        }
        String var = field.attribute("var").orElse("");
        if (var.equals("FORM_TYPE")) {
          formType = values.isEmpty() ? "" : values.get(0);
          continue;
        }
        values.sort(Comparator.naturalOrder());
        StringBuilder f = new StringBuilder(var).append('<');
        values.forEach(v -> f.append(v).append('<'));
        fields.add(f.toString());
      }
      if (formType == null) {
        continue; // §5.4: a form without FORM_TYPE is left out
      }
      fields.sort(Comparator.naturalOrder());
      List<String> form = new ArrayList<>();
      form.add(formType);
      form.addAll(fields);
      forms.add(form);
    }
    forms.sort(Comparator.comparing(f -> f.get(0)));
    for (List<String> form : forms) {
      s.append(form.get(0)).append('<');
      form.subList(1, form.size()).forEach(s::append);
    }
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
          .digest(s.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-1", e);
    }
  }
}
