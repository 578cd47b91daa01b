package dev.tern.edge.codec;

import static dev.tern.xmpp.xml.StreamErrorCondition.BAD_FORMAT;
import static dev.tern.xmpp.xml.StreamErrorCondition.BAD_NAMESPACE_PREFIX;
import static dev.tern.xmpp.xml.StreamErrorCondition.INVALID_NAMESPACE;
import static dev.tern.xmpp.xml.StreamErrorCondition.NOT_WELL_FORMED;
import static dev.tern.xmpp.xml.StreamErrorCondition.POLICY_VIOLATION;
import static dev.tern.xmpp.xml.StreamErrorCondition.RESTRICTED_XML;
import static dev.tern.xmpp.xml.StreamErrorCondition.UNSUPPORTED_ENCODING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.xmpp.xml.StreamErrorCondition;
import dev.tern.xmpp.xml.StreamEvent;
import dev.tern.xmpp.xml.XmlLimits;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class XmppStreamDecoderMalformedInputTest {

  private static final String HEADER = "<?xml version='1.0'?><stream:stream to='im.example.com'"
      + " version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";

  // The classic entity expansion attack: ten levels of ten references, 10^9 "lol"s.
  private static final String BILLION_LAUGHS = "<?xml version='1.0'?>\n"
      + "<!DOCTYPE lolz [\n"
      + " <!ENTITY lol \"lol\">\n"
      + " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
      + " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
      + " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
      + " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
      + " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
      + " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
      + " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
      + " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
      + " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
      + "]>\n"
      + "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"
      + "<message><body>&lol9;</body></message>";

  static Stream<Arguments> malformedInput() {
    return Stream.of(
        Arguments.of("billion laughs", utf8(BILLION_LAUGHS), RESTRICTED_XML),
        Arguments.of("an external entity",
            utf8("<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<stream:stream xmlns:stream='http://etherx.jabber.org/streams'>"
                + "<message><body>&e;</body></message>"),
            RESTRICTED_XML),
        Arguments.of("a bare DOCTYPE",
            utf8("<!DOCTYPE stream:stream><stream:stream"
                + " xmlns:stream='http://etherx.jabber.org/streams'>"),
            RESTRICTED_XML),
        Arguments.of("a DOCTYPE with an external DTD",
            utf8("<?xml version='1.0'?><!DOCTYPE stream SYSTEM 'http://example.com/x.dtd'>"),
            RESTRICTED_XML),
        Arguments.of("a comment before the header",
            utf8("<!-- hello --><stream:stream xmlns:stream='http://etherx.jabber.org/streams'>"),
            RESTRICTED_XML),
        Arguments.of("a comment in a stanza",
            utf8(HEADER + "<message><!-- hello --></message>"), RESTRICTED_XML),
        Arguments.of("a comment between stanzas", utf8(HEADER + "<!-- hello -->"), RESTRICTED_XML),
        Arguments.of("a processing instruction before the header",
            utf8("<?xml version='1.0'?><?xml-stylesheet href='x.xsl'?>" + HEADER.substring(21)),
            RESTRICTED_XML),
        Arguments.of("a processing instruction in a stanza",
            utf8(HEADER + "<message><?php echo 1; ?></message>"), RESTRICTED_XML),
        Arguments.of("an undefined entity in text",
            utf8(HEADER + "<message><body>&foo;</body></message>"), RESTRICTED_XML),
        Arguments.of("an undefined entity in an attribute",
            utf8(HEADER + "<message to='&foo;'/>"), RESTRICTED_XML),
        Arguments.of("invalid UTF-8: a lone continuation byte",
            concat(utf8(HEADER + "<message><body>a"), new byte[] {(byte) 0x80},
                utf8("</body></message>")),
            NOT_WELL_FORMED),
        Arguments.of("invalid UTF-8: a lead byte without its continuation",
            concat(utf8(HEADER + "<message><body>"), new byte[] {(byte) 0xC3, '('},
                utf8("</body></message>")),
            NOT_WELL_FORMED),
        Arguments.of("invalid UTF-8: an overlong encoding of '<'",
            concat(utf8(HEADER + "<message><body>"), new byte[] {(byte) 0xC0, (byte) 0xBC},
                utf8("</body></message>")),
            NOT_WELL_FORMED),
        Arguments.of("invalid UTF-8: an encoded surrogate",
            concat(utf8(HEADER + "<message><body>"), new byte[] {(byte) 0xED, (byte) 0xA0,
                (byte) 0x80}, utf8("</body></message>")),
            NOT_WELL_FORMED),
        Arguments.of("invalid UTF-8: a code point above U+10FFFF",
            concat(utf8(HEADER + "<message><body>"), new byte[] {(byte) 0xF4, (byte) 0x90,
                (byte) 0x80, (byte) 0x80}, utf8("</body></message>")),
            NOT_WELL_FORMED),
        Arguments.of("invalid UTF-8: the byte 0xFF",
            concat(utf8(HEADER + "<message><body>"), new byte[] {(byte) 0xFF},
                utf8("</body></message>")),
            NOT_WELL_FORMED),
        Arguments.of("a control character",
            concat(utf8(HEADER + "<message><body>"), new byte[] {0x01},
                utf8("</body></message>")),
            NOT_WELL_FORMED),
        // Aalto reports a mismatched end tag once the next byte has arrived
        Arguments.of("a mismatched close tag",
            utf8(HEADER + "<message><body>hi</message> "), NOT_WELL_FORMED),
        Arguments.of("a close tag with no open element", utf8(HEADER + "</message> "),
            NOT_WELL_FORMED),
        Arguments.of("a duplicate attribute", utf8(HEADER + "<message id='1' id='2'/>"),
            NOT_WELL_FORMED),
        Arguments.of("an unquoted attribute", utf8(HEADER + "<message id=1/>"), NOT_WELL_FORMED),
        Arguments.of("a '<' in an attribute value", utf8(HEADER + "<message id='<'/>"),
            NOT_WELL_FORMED),
        Arguments.of("an element after the stream is closed",
            utf8(HEADER + "</stream:stream><message/>"), NOT_WELL_FORMED),
        Arguments.of("text after the stream is closed",
            utf8(HEADER + "</stream:stream>hello"), NOT_WELL_FORMED),
        Arguments.of("an XML declaration inside the stream",
            utf8(HEADER + "<?xml version='1.0'?>"), NOT_WELL_FORMED),
        Arguments.of("a stream header in the wrong namespace",
            utf8("<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
                + " xmlns:stream='http://wrong.example.com/streams'>"),
            INVALID_NAMESPACE),
        Arguments.of("a stream header in no namespace", utf8("<stream to='im.example.com'>"),
            INVALID_NAMESPACE),
        Arguments.of("a root element other than stream",
            utf8("<stream:foo xmlns:stream='http://etherx.jabber.org/streams'>"),
            INVALID_NAMESPACE),
        // RFC 6120 §4.9.3.2's own example
        Arguments.of("a stream header with a prefix other than 'stream'",
            utf8("<?xml version='1.0'?><foobar:stream from='juliet@im.example.com'"
                + " to='im.example.com' version='1.0' xmlns='jabber:client'"
                + " xmlns:foobar='http://etherx.jabber.org/streams'>"),
            BAD_NAMESPACE_PREFIX),
        Arguments.of("an undeclared element prefix", utf8(HEADER + "<foo:message/>"),
            BAD_NAMESPACE_PREFIX),
        Arguments.of("an undeclared attribute prefix", utf8(HEADER + "<message foo:id='1'/>"),
            BAD_NAMESPACE_PREFIX),
        Arguments.of("an encoding other than UTF-8",
            utf8("<?xml version='1.0' encoding='ISO-8859-1'?>" + HEADER.substring(21)),
            UNSUPPORTED_ENCODING),
        Arguments.of("UTF-16 with a byte order mark",
            ("\uFEFF" + HEADER).getBytes(StandardCharsets.UTF_16BE), UNSUPPORTED_ENCODING),
        Arguments.of("UTF-16 without a byte order mark",
            HEADER.getBytes(StandardCharsets.UTF_16LE), UNSUPPORTED_ENCODING),
        Arguments.of("text between stanzas", utf8(HEADER + "<presence/>hello<presence/>"),
            BAD_FORMAT),
        Arguments.of("elements nested 65 deep",
            utf8(HEADER + "<a>".repeat(65)), POLICY_VIOLATION),
        Arguments.of("65 attributes on one element",
            utf8(HEADER + "<message" + attributes(65) + "/>"), POLICY_VIOLATION),
        Arguments.of("65 attributes on the stream header",
            utf8("<stream:stream xmlns:stream='http://etherx.jabber.org/streams'"
                + attributes(65) + ">"),
            POLICY_VIOLATION),
        Arguments.of("an attribute value of 8 KiB and one byte",
            utf8(HEADER + "<message id='" + "x".repeat(8 * 1024 + 1) + "'/>"), POLICY_VIOLATION),
        Arguments.of("an attribute value of 8 KiB and one byte made of references",
            utf8(HEADER + "<message id='" + "&amp;".repeat(8 * 1024 + 1) + "'/>"),
            POLICY_VIOLATION));
  }

  @ParameterizedTest(name = "{0} is refused with {2}")
  @MethodSource("malformedInput")
  void malformedInputIsRefusedWithTheConditionTheRfcNames(
      String description, byte[] input, StreamErrorCondition condition) {
    assertThat(Recorder.streamDecoder(XmlLimits.DEFAULTS).write(input).error().condition())
        .isEqualTo(condition);
  }

  @ParameterizedTest(name = "{0} fed byte by byte is refused with {2}")
  @MethodSource("malformedInput")
  void malformedInputFedByteByByteIsRefusedWithTheSameCondition(
      String description, byte[] input, StreamErrorCondition condition) {
    assertThat(Recorder.streamDecoder(XmlLimits.DEFAULTS).writeInChunks(input, 1).error()
        .condition()).isEqualTo(condition);
  }

  @Test
  void billionLaughsFailsAtTheDoctypeBeforeAnyEntityIsRead() {
    int doctype = BILLION_LAUGHS.indexOf("<!DOCTYPE");
    Recorder recorder = Recorder.streamDecoder(XmlLimits.DEFAULTS)
        .write(BILLION_LAUGHS.substring(0, doctype + 2));

    assertThat(recorder.error().condition()).isEqualTo(RESTRICTED_XML);
  }

  @Test
  void aOneMebibyteStanzaIsRefusedBeforeItHasAllArrived() {
    byte[] stanza = utf8("<message><body>" + "x".repeat(1024 * 1024) + "</body></message>");
    Recorder recorder = Recorder.streamDecoder(XmlLimits.DEFAULTS).write(HEADER);

    int written = 0;
    while (recorder.errors().isEmpty() && written < stanza.length) {
      int length = Math.min(8192, stanza.length - written);
      recorder.channel.writeInbound(Unpooled.wrappedBuffer(stanza, written, length));
      written += length;
    }

    assertThat(recorder.error().condition()).isEqualTo(POLICY_VIOLATION);
    assertThat(written).isLessThanOrEqualTo(XmlLimits.DEFAULTS.maxStanzaBytes() + 8192);
  }

  @Test
  void aOneMebibyteAttributeValueIsRefusedBeforeItHasAllArrived() {
    byte[] stanza = utf8("<message id='" + "x".repeat(1024 * 1024) + "'/>");
    Recorder recorder = Recorder.streamDecoder(XmlLimits.DEFAULTS).write(HEADER);

    int written = 0;
    while (recorder.errors().isEmpty() && written < stanza.length) {
      int length = Math.min(8192, stanza.length - written);
      recorder.channel.writeInbound(Unpooled.wrappedBuffer(stanza, written, length));
      written += length;
    }

    assertThat(recorder.error().condition()).isEqualTo(POLICY_VIOLATION);
    assertThat(written).isLessThanOrEqualTo(XmlLimits.DEFAULTS.maxStanzaBytes() + 8192);
  }

  @Test
  void aOneMebibyteStanzaInASingleReadIsRefusedWithPolicyViolation() {
    Recorder recorder = Recorder.streamDecoder(XmlLimits.DEFAULTS)
        .write(HEADER + "<message><body>" + "x".repeat(1024 * 1024) + "</body></message>");

    assertThat(recorder.error().condition()).isEqualTo(POLICY_VIOLATION);
  }

  @Test
  void elementsNestedTenThousandDeepAreRefusedAtTheLimit() {
    Recorder recorder = Recorder.streamDecoder(XmlLimits.DEFAULTS).write(HEADER)
        .write("<a>".repeat(10_000) + "</a>".repeat(10_000));

    assertThat(recorder.error().condition()).isEqualTo(POLICY_VIOLATION);
    assertThat(recorder.error().text()).contains("64");
  }

  @Test
  void elementsNestedExactlyToTheLimitAreAccepted() {
    Recorder recorder = Recorder.streamDecoder(XmlLimits.DEFAULTS).write(HEADER)
        .write("<a>".repeat(64) + "</a>".repeat(64));

    assertThat(recorder.errors()).isEmpty();
    assertThat(recorder.events()).hasSize(2);
  }

  @Test
  void endlessWhitespaceBetweenStanzasIsAcceptedButEndlessTextBeforeATagEndIsNot() {
    Recorder keepalives = Recorder.streamDecoder(new XmlLimits(1024, 8, 8, 100)).write(HEADER);
    for (int i = 0; i < 100; i++) {
      keepalives.write(" ".repeat(100));
    }
    assertThat(keepalives.errors()).isEmpty();

    Recorder unfinished = Recorder.streamDecoder(new XmlLimits(1024, 8, 8, 100))
        .write(HEADER + "<message");
    for (int i = 0; i < 100 && unfinished.errors().isEmpty(); i++) {
      unfinished.write(" ".repeat(100));
    }
    assertThat(unfinished.error().condition()).isEqualTo(POLICY_VIOLATION);
  }

  @Test
  void afterAnErrorNothingMoreIsEmittedAndTheErrorIsFiredOnce() {
    Recorder recorder = Recorder.streamDecoder(XmlLimits.DEFAULTS)
        .write(HEADER).write("<message><!-- x --></message>")
        .write("<presence/>").write("<message><body>hi</body></message>").write("</stream:stream>");

    assertThat(recorder.seen).hasSize(2);
    assertThat(recorder.seen.get(0)).isInstanceOf(StreamEvent.Open.class);
    assertThat(recorder.error().condition()).isEqualTo(RESTRICTED_XML);
    assertThat(recorder.error().toElement()).isEqualTo(RESTRICTED_XML.toElement(
        recorder.error().text()));
  }

  private static String attributes(int count) {
    StringBuilder attributes = new StringBuilder();
    for (int i = 0; i < count; i++) {
      attributes.append(" a").append(i).append("='").append(i).append('\'');
    }
    return attributes.toString();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
