package dev.tern.routing.vcard;

import dev.tern.routing.RouterSubjects;

/**
 * The NATS wire of XEP-0054 between edges and routers: one request subject; the vCard travels as
 * its serialized XML, UTF-8, in the payload.
 */
public final class VCardWire {

  /** The operation of a {@link #vcards} request: {@link #GET} or {@link #SET}. */
  public static final String OP = "Tern-VCard-Op";
  public static final String GET = "get";
  public static final String SET = "set";

  /**
   * The largest vCard a user may set, its XML serialized as UTF-8: 64 KiB, room for a small
   * avatar photo (XEP-0153 puts avatars in the vCard) and well under the edge's stanza limit.
   */
  public static final int MAX_BYTES = 64 * 1024;

  private VCardWire() {}

  /**
   * Edge → any router of the region (request/reply). Headers {@link #OP}, {@code MessageWire.FROM}
   * (the requester's full JID) and {@code MessageWire.USER} (the bare JID whose vCard it is; for a
   * set, the requester's own). A get's reply carries the vCard's XML, or nothing when the user set
   * none; a set carries the XML and is answered empty. Either may be answered with a
   * {@code Refusal} instead (XEP-0191 blocking, an unknown user, a vCard over {@link #MAX_BYTES}).
   */
  public static String vcards(String region) {
    return RouterSubjects.prefix(region) + "vcard";
  }
}
