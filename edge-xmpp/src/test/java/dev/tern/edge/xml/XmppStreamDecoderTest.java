package dev.tern.edge.xml;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class XmppStreamDecoderTest {

  /** RFC 6120 §9.1.1: the initiating entity's stream header. */
  static final String HEADER = "<?xml version='1.0'?>"
      + "<stream:stream from='juliet@im.example.com' to='im.example.com' version='1.0' "
      + "xml:lang='en' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";

  /** RFC 6120 §9.1.3, with a multi-byte character to split in its middle. */
  static final String STANZA = "<message from='juliet@im.example.com/balcony' id='ju2ba41c' "
      + "to='romeo@example.net' type='chat' xml:lang='en'>"
      + "<body>Art thou not Romeo, and a Montague? — ☺ &amp; &lt;3</body></message>";

  /** Everything a decoder passed on: events and the one error, if any. */
  static final class Recorder extends ChannelInboundHandlerAdapter {
    final List<StreamEvent> events = new ArrayList<>();
    final List<StreamErrorException> errors = new ArrayList<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      events.add((StreamEvent) msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      errors.add((StreamErrorException) cause);
    }
  }

  static Recorder decode(XmlLimits limits, byte[]... chunks) {
    Recorder r = new Recorder();
    EmbeddedChannel ch = new EmbeddedChannel(new XmppStreamDecoder(limits), r);
    for (byte[] chunk : chunks) {
      ch.writeInbound(Unpooled.wrappedBuffer(chunk));
    }
    return r;
  }

  static Recorder decode(String... chunks) {
    byte[][] bytes = new byte[chunks.length][];
    for (int i = 0; i < chunks.length; i++) {
      bytes[i] = chunks[i].getBytes(StandardCharsets.UTF_8);
    }
    return decode(XmlLimits.DEFAULTS, bytes);
  }

  static StreamErrorCondition errorOf(String input) {
    Recorder r = decode(input);
    assertThat(r.errors).hasSize(1);
    return r.errors.get(0).condition();
  }

  @Test
  void aStreamDecodesIntoOpenElementAndClose() {
    Recorder r = decode(HEADER + STANZA + "</stream:stream>");

    assertThat(r.errors).isEmpty();
    assertThat(r.events).hasSize(3);
    StreamEvent.Open open = (StreamEvent.Open) r.events.get(0);
    assertThat(open.defaultNamespace()).isEqualTo("jabber:client");
    assertThat(open.attributes()).containsEntry("to", "im.example.com")
        .containsEntry("version", "1.0").containsEntry("xml:lang", "en");
    XmlElement message = ((StreamEvent.Element) r.events.get(1)).element();
    assertThat(message.name()).isEqualTo("message");
    assertThat(message.namespace()).isEqualTo("jabber:client");
    assertThat(message.attribute("xml:lang")).contains("en");
    assertThat(message.child("body", "jabber:client").orElseThrow().text())
        .isEqualTo("Art thou not Romeo, and a Montague? — ☺ & <3");
    assertThat(((StreamEvent.Element) r.events.get(1)).bytes())
        .isEqualTo(STANZA.getBytes(StandardCharsets.UTF_8).length);
    assertThat(r.events.get(2)).isInstanceOf(StreamEvent.Close.class);
  }

  @Test
  void inputSplitAtEveryByteGivesTheSameEvents() {
    byte[] all = (HEADER + STANZA + " " + STANZA + "</stream:stream>").getBytes(StandardCharsets.UTF_8);
    List<StreamEvent> whole = decode(XmlLimits.DEFAULTS, all).events;
    for (int split = 1; split < all.length; split++) {
      byte[] a = java.util.Arrays.copyOfRange(all, 0, split);
      byte[] b = java.util.Arrays.copyOfRange(all, split, all.length);
      Recorder r = decode(XmlLimits.DEFAULTS, a, b);
      assertThat(r.errors).as("split at %d", split).isEmpty();
      assertThat(r.events).as("split at %d", split).isEqualTo(whole);
    }
    byte[][] single = new byte[all.length][];
    for (int i = 0; i < all.length; i++) {
      single[i] = new byte[] {all[i]};
    }
    assertThat(decode(XmlLimits.DEFAULTS, single).events).isEqualTo(whole);
  }

  @Test
  void resetStartsANewStreamAfterStarttls() {
    Recorder r = new Recorder();
    XmppStreamDecoder decoder = new XmppStreamDecoder(XmlLimits.DEFAULTS);
    EmbeddedChannel ch = new EmbeddedChannel(decoder, r);
    ch.writeInbound(Unpooled.copiedBuffer(HEADER + "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>",
        StandardCharsets.UTF_8));
    decoder.reset();
    ch.writeInbound(Unpooled.copiedBuffer(HEADER, StandardCharsets.UTF_8));

    assertThat(r.errors).isEmpty();
    assertThat(r.events).hasSize(3);
    assertThat(r.events.get(0)).isInstanceOf(StreamEvent.Open.class);
    assertThat(((StreamEvent.Element) r.events.get(1)).element().name()).isEqualTo("starttls");
    assertThat(r.events.get(2)).isInstanceOf(StreamEvent.Open.class);
  }

  @Test
  void whitespaceKeepalivesBetweenStanzasAreIgnored() {
    Recorder r = decode(HEADER, " \n ", STANZA, "\t ");
    assertThat(r.errors).isEmpty();
    assertThat(r.events).hasSize(2);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "a DOCTYPE | <?xml version='1.0'?><!DOCTYPE stream:stream><stream:stream xmlns:stream='http://etherx.jabber.org/streams'> | RESTRICTED_XML",
      "an internal DTD subset | <?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><stream:stream xmlns:stream='http://etherx.jabber.org/streams'> | RESTRICTED_XML",
      "an external entity | <?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><stream:stream xmlns:stream='http://etherx.jabber.org/streams'><message>&e;</message> | RESTRICTED_XML",
      "a comment | HEADER<!-- hi --> | RESTRICTED_XML",
      "a processing instruction | HEADER<?evil?> | RESTRICTED_XML",
      "an undefined entity | HEADER<message><body>&foo;</body></message> | RESTRICTED_XML",
      "mismatched tags | HEADER<message></presence> | NOT_WELL_FORMED",
      "a second root after the close | HEADER</stream:stream><x/> | NOT_WELL_FORMED",
      "a wrong stream namespace | <stream:stream xmlns:stream='urn:nope'> | INVALID_NAMESPACE",
      "a root that is not stream | <html xmlns='http://www.w3.org/1999/xhtml'> | INVALID_NAMESPACE",
      "an undeclared prefix | HEADER<foo:message/> | BAD_NAMESPACE_PREFIX",
      "a non-UTF-8 encoding | <?xml version='1.0' encoding='ISO-8859-1'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams'> | UNSUPPORTED_ENCODING",
      "text between stanzas | HEADER hello | BAD_FORMAT",
  })
  void hostileInputGetsItsCondition(String name, String input, StreamErrorCondition expected) {
    assertThat(errorOf(input.replace("HEADER", HEADER))).as(name).isEqualTo(expected);
  }

  @Test
  void billionLaughsIsRestrictedXmlWithoutExpansion() {
    StringBuilder dtd = new StringBuilder("<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'>");
    for (int i = 1; i <= 9; i++) {
      dtd.append("<!ENTITY lol").append(i).append(" '")
          .append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10)).append("'>");
    }
    dtd.append("]><lolz>&lol9;</lolz>");
    assertThat(errorOf(dtd.toString())).isEqualTo(StreamErrorCondition.RESTRICTED_XML);
  }

  @Test
  void invalidUtf8IsNotWellFormed() {
    Recorder r = decode(XmlLimits.DEFAULTS, (HEADER + "<message><body>").getBytes(StandardCharsets.UTF_8),
        new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF}, "</body></message>".getBytes(StandardCharsets.UTF_8));
    assertThat(r.errors).singleElement().extracting(StreamErrorException::condition)
        .isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
  }

  @Test
  void aStanzaOverTheSizeLimitIsRefusedBeforeItIsAllRead() {
    XmlLimits limits = new XmlLimits(1024, 64, 64, 1024);
    byte[] huge = new byte[1024 * 1024];
    java.util.Arrays.fill(huge, (byte) 'a');
    Recorder r = new Recorder();
    EmbeddedChannel ch = new EmbeddedChannel(new XmppStreamDecoder(limits), r);
    ch.writeInbound(Unpooled.copiedBuffer(HEADER + "<message><body>", StandardCharsets.UTF_8));
    io.netty.buffer.ByteBuf big = Unpooled.wrappedBuffer(huge);
    big.retain();
    ch.writeInbound(big);

    assertThat(r.errors).singleElement().extracting(StreamErrorException::condition)
        .isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
    // Only about the limit plus one chunk was parsed; the rest was never fed to the parser.
    assertThat(huge.length - big.readableBytes()).isLessThan(1024 * 1024);
    big.release();
  }

  @Test
  void nestingTenThousandDeepIsAPolicyViolation() {
    assertThat(errorOf(HEADER + "<a>".repeat(10_000))).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
  }

  @Test
  void tooManyAttributesAreAPolicyViolation() {
    StringBuilder attrs = new StringBuilder();
    for (int i = 0; i < 65; i++) {
      attrs.append(" a").append(i).append("='x'");
    }
    assertThat(errorOf(HEADER + "<message" + attrs + "/>")).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
  }

  @Test
  void afterAnErrorNothingMoreIsEmitted() {
    Recorder r = decode(HEADER, "<!-- x -->", STANZA, STANZA);
    assertThat(r.errors).hasSize(1);
    assertThat(r.events).hasSize(1); // only the Open before the error
  }
}
