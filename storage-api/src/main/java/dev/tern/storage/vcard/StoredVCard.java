package dev.tern.storage.vcard;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A user's vCard as stored.
 *
 * @param xml the {@code <vCard xmlns='vcard-temp'/>} element the user set, serialized
 * @param updated when it was set
 */
public record StoredVCard(String xml, Instant updated) {

  public StoredVCard {
    requireNonNull(xml, "xml");
    requireNonNull(updated, "updated");
  }
}
