package dev.tern.router.pep;

import dev.tern.storage.pep.AccessModel;
import dev.tern.storage.pep.NodeConfig;
import dev.tern.xmpp.xml.XmlElement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The node options PEP honours, as XEP-0004 data forms: {@code pubsub#access_model}
 * ({@code presence}, {@code open}, {@code whitelist}), {@code pubsub#max_items} (1 to
 * {@value NodeConfig#MAX_ITEMS}, or {@code max}) and {@code pubsub#persist_items}. Other fields
 * are ignored.
 */
final class NodeOptions {

  static final String ACCESS_MODEL = "pubsub#access_model";
  static final String MAX_ITEMS = "pubsub#max_items";
  static final String PERSIST_ITEMS = "pubsub#persist_items";

  private NodeOptions() {}

  /** The fields of a submitted form ({@code var} → first value), FORM_TYPE left out. */
  static Map<String, String> fields(XmlElement form) {
    Map<String, String> out = new LinkedHashMap<>();
    for (XmlElement field : form.elements()) {
      if (!field.name().equals("field") || !field.namespace().equals(Pubsub.DATA)) {
        continue;
      }
      String var = field.attribute("var").orElse("");
      if (var.isEmpty() || var.equals("FORM_TYPE")) {
        continue;
      }
      out.put(var, field.child("value", Pubsub.DATA).map(XmlElement::text).orElse("").strip());
    }
    return out;
  }

  /** The form's FORM_TYPE value, if it has one. */
  static Optional<String> formType(XmlElement form) {
    for (XmlElement field : form.elements()) {
      if (field.name().equals("field") && field.attribute("var").orElse("").equals("FORM_TYPE")) {
        return field.child("value", Pubsub.DATA).map(XmlElement::text).map(String::strip);
      }
    }
    return Optional.empty();
  }

  /** {@code base} with the options of {@code fields} applied; empty if a value is not valid. */
  static Optional<NodeConfig> apply(NodeConfig base, Map<String, String> fields) {
    AccessModel access = base.access();
    int max = base.maxItems();
    boolean persist = base.persistItems();
    if (fields.containsKey(ACCESS_MODEL)) {
      Optional<AccessModel> a = AccessModel.fromFormValue(fields.get(ACCESS_MODEL));
      if (a.isEmpty()) {
        return Optional.empty();
      }
      access = a.get();
    }
    if (fields.containsKey(MAX_ITEMS)) {
      Optional<Integer> m = maxItems(fields.get(MAX_ITEMS));
      if (m.isEmpty()) {
        return Optional.empty();
      }
      max = m.get();
    }
    if (fields.containsKey(PERSIST_ITEMS)) {
      Optional<Boolean> p = bool(fields.get(PERSIST_ITEMS));
      if (p.isEmpty()) {
        return Optional.empty();
      }
      persist = p.get();
    }
    return Optional.of(new NodeConfig(access, max, persist));
  }

  private static Optional<Integer> maxItems(String value) {
    if (value.equals("max")) {
      return Optional.of(NodeConfig.MAX_ITEMS);
    }
    try {
      int n = Integer.parseInt(value);
      return n >= 1 && n <= NodeConfig.MAX_ITEMS ? Optional.of(n) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Optional<Boolean> bool(String value) {
    return switch (value) {
      case "1", "true" -> Optional.of(true);
      case "0", "false" -> Optional.of(false);
      default -> Optional.empty();
    };
  }

  /** XEP-0060 §8.2.1: the node's configuration form. */
  static XmlElement form(NodeConfig config) {
    XmlElement.Builder x = XmlElement.builder("x", Pubsub.DATA).attribute("type", "form");
    x.child(field("FORM_TYPE", "hidden", Pubsub.NODE_CONFIG).build());
    XmlElement.Builder access = field(ACCESS_MODEL, "list-single", config.access().formValue());
    for (AccessModel m : AccessModel.values()) {
      access.child(XmlElement.builder("option", Pubsub.DATA)
          .child(XmlElement.builder("value", Pubsub.DATA).text(m.formValue()).build()).build());
    }
    x.child(access.build());
    x.child(field(MAX_ITEMS, "text-single", Integer.toString(config.maxItems())).build());
    x.child(field(PERSIST_ITEMS, "boolean", config.persistItems() ? "1" : "0").build());
    return x.build();
  }

  private static XmlElement.Builder field(String var, String type, String value) {
    return XmlElement.builder("field", Pubsub.DATA).attribute("var", var).attribute("type", type)
        .child(XmlElement.builder("value", Pubsub.DATA).text(value).build());
  }
}
