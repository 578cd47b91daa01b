package dev.tern.edge.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.xmpp.xml.StreamErrorCondition;
import dev.tern.xmpp.xml.StreamErrorException;
import dev.tern.xmpp.xml.StreamEvent;
import dev.tern.xmpp.xml.XmlElement;
import dev.tern.xmpp.xml.XmlLimits;
import dev.tern.xmpp.xml.XmlNamespaces;
import dev.tern.xmpp.xml.XmlStreamParser;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class XmppStreamDecoderTest {

  // RFC 6120 §9.1.1 and §4.7.2: the client's initial stream header
  private static final String CLIENT_HEADER = "<?xml version='1.0'?>"
      + "<stream:stream from='juliet@im.example.com' to='im.example.com' version='1.0'"
      + " xml:lang='en' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
  // RFC 6120 §9.1.2
  private static final String STARTTLS = "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";
  // RFC 6120 §9.1.3
  private static final String AUTH = "<auth xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"\n"
      + "      mechanism=\"SCRAM-SHA-1\">\n"
      + "  biwsbj1qdWxpZXQscj1vTXNUQUF3QUFBQU1BQUFBTlAwVEFBQUFBQUJQVTBBQQ==</auth>";
  // RFC 6120 §9.1.4
  private static final String BIND = "<iq id='yhc13a95' type='set'>\n"
      + "  <bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>\n"
      + "    <resource>balcony</resource>\n"
      + "  </bind>\n"
      + "</iq>";
  // RFC 6120 §9.1.5, with a body in several scripts so that characters of two, three and four
  // UTF-8 bytes get split in the middle
  private static final String MESSAGE = "<message from='juliet@im.example.com/balcony'\n"
      + "  id='ju2ba41c'\n  to='romeo@example.net/orchard'\n  type='chat'\n  xml:lang='en'>\n"
      + "  <body>Art thou not Romeo, and a Montague? Ça — 私は 😀"
      + " &amp; &lt;3 &#x263A;</body>\n"
      + "</message>";
  private static final String SCRIPT = CLIENT_HEADER + "\n" + STARTTLS + " " + AUTH + "\n\n"
      + BIND + MESSAGE + " \n</stream:stream>";

  private static final List<StreamEvent> EXPECTED = List.of(
      new StreamEvent.Open(Map.of("from", "juliet@im.example.com", "to", "im.example.com",
          "version", "1.0", "xml:lang", "en"), "jabber:client"),
      new StreamEvent.Element(XmlElement.builder("starttls", "urn:ietf:params:xml:ns:xmpp-tls")
          .build(), utf8(STARTTLS)),
      new StreamEvent.Element(XmlElement.builder("auth", "urn:ietf:params:xml:ns:xmpp-sasl")
          .attribute("mechanism", "SCRAM-SHA-1")
          .text("\n  biwsbj1qdWxpZXQscj1vTXNUQUF3QUFBQU1BQUFBTlAwVEFBQUFBQUJQVTBBQQ==")
          .build(), utf8(AUTH)),
      new StreamEvent.Element(XmlElement.builder("iq", "jabber:client")
          .attribute("id", "yhc13a95").attribute("type", "set")
          .text("\n  ")
          .child(XmlElement.builder("bind", "urn:ietf:params:xml:ns:xmpp-bind")
              .text("\n    ")
              .child(XmlElement.builder("resource", "urn:ietf:params:xml:ns:xmpp-bind")
                  .text("balcony").build())
              .text("\n  ")
              .build())
          .text("\n")
          .build(), utf8(BIND)),
      new StreamEvent.Element(XmlElement.builder("message", "jabber:client")
          .attribute("from", "juliet@im.example.com/balcony").attribute("id", "ju2ba41c")
          .attribute("to", "romeo@example.net/orchard").attribute("type", "chat")
          .attribute("xml:lang", "en")
          .text("\n  ")
          .child(XmlElement.builder("body", "jabber:client")
              .text("Art thou not Romeo, and a Montague? Ça — 私は 😀 & <3 ☺").build())
          .text("\n")
          .build(), utf8(MESSAGE)),
      new StreamEvent.Close());

  @Test
  void aClientStreamFromRfc6120DecodesIntoOneEventPerHeaderStanzaAndClose() {
    Recorder recorder = Recorder.streamDecoder(XmlLimits.DEFAULTS).write(SCRIPT);

    assertThat(recorder.seen).containsExactlyElementsOf(EXPECTED);
  }

  @Test
  void splittingTheStreamInTwoAtEveryByteGivesTheSameEvents() {
    byte[] bytes = SCRIPT.getBytes(StandardCharsets.UTF_8);
    for (int split = 0; split <= bytes.length; split++) {
      Recorder recorder = Recorder.streamDecoder(XmlLimits.DEFAULTS)
          .write(Arrays.copyOfRange(bytes, 0, split))
          .write(Arrays.copyOfRange(bytes, split, bytes.length));

      assertThat(recorder.seen).as("split at byte %d", split).containsExactlyElementsOf(EXPECTED);
    }
  }

  @Test
  void feedingTheStreamOneByteAtATimeGivesTheSameEvents() {
    Recorder recorder = Recorder.streamDecoder(XmlLimits.DEFAULTS)
        .writeInChunks(SCRIPT.getBytes(StandardCharsets.UTF_8), 1);

    assertThat(recorder.seen).containsExactlyElementsOf(EXPECTED);
  }

  @Test
  void feedingTheStreamInPiecesOfEverySizeGivesTheSameEvents() {
    byte[] bytes = SCRIPT.getBytes(StandardCharsets.UTF_8);
    for (int size = 2; size <= bytes.length; size++) {
      Recorder recorder = Recorder.streamDecoder(XmlLimits.DEFAULTS).writeInChunks(bytes, size);

      assertThat(recorder.seen).as("pieces of %d bytes", size).containsExactlyElementsOf(EXPECTED);
    }
  }

  @Test
  void aFourByteCharacterSplitAfterEachOfItsBytesIsDecodedWhole() {
    byte[] smiley = "😀".getBytes(StandardCharsets.UTF_8);
    for (int split = 1; split < smiley.length; split++) {
      Recorder recorder = Recorder.streamDecoder(XmlLimits.DEFAULTS)
          .write(CLIENT_HEADER + "<message><body>a")
          .write(Arrays.copyOfRange(smiley, 0, split))
          .write(Arrays.copyOfRange(smiley, split, smiley.length))
          .write("b</body></message>");

      assertThat(recorder.events()).last().isEqualTo(new StreamEvent.Element(
          XmlElement.builder("message", "jabber:client").child(
              XmlElement.builder("body", "jabber:client").text("a😀b").build()).build(),
          utf8("<message><body>a😀b</body></message>")));
    }
  }

  @Test
  void whitespaceKeepalivesBetweenStanzasProduceNoEvents() {
    Recorder recorder = Recorder.streamDecoder(XmlLimits.DEFAULTS)
        .write(CLIENT_HEADER).write(" ").write("\n").write(" \t ").write("<presence/>").write(" ");

    assertThat(recorder.events()).hasSize(2);
    assertThat(recorder.events().get(1)).isEqualTo(new StreamEvent.Element(
        XmlElement.builder("presence", "jabber:client").build(), 11));
  }

  @Test
  void aStreamHeaderWithoutXmlDeclarationAndSelfClosedRootOpensAndClosesTheStream() {
    Recorder recorder = Recorder.streamDecoder(XmlLimits.DEFAULTS)
        .write("<stream:stream xmlns:stream='http://etherx.jabber.org/streams' to='x'/>");

    assertThat(recorder.seen).containsExactly(
        new StreamEvent.Open(Map.of("to", "x"), ""), new StreamEvent.Close());
  }

  @Test
  void namespacedAndCdataContentIsResolvedAndMergedIntoText() {
    Recorder recorder = Recorder.streamDecoder(XmlLimits.DEFAULTS).write(CLIENT_HEADER
        + "<message xmlns:x='urn:example:x' x:flag='1' xml:lang='de'>"
        + "<x:data x:n='2'>a<![CDATA[<b> & c]]>d</x:data><stream:features/></message>");

    assertThat(recorder.events()).last().isEqualTo(new StreamEvent.Element(
        XmlElement.builder("message", "jabber:client")
            .attribute("{urn:example:x}flag", "1").attribute("xml:lang", "de")
            .child(XmlElement.builder("data", "urn:example:x")
                .attribute("{urn:example:x}n", "2").text("a<b> & cd").build())
            .child(XmlElement.builder("features", XmlNamespaces.STREAMS).build())
            .build(),
        utf8("<message xmlns:x='urn:example:x' x:flag='1' xml:lang='de'>"
            + "<x:data x:n='2'>a<![CDATA[<b> & c]]>d</x:data><stream:features/></message>")));
  }

  @Test
  void aSecondHeaderAfterResetOpensANewStream() {
    XmppStreamDecoder decoder = new XmppStreamDecoder(XmlLimits.DEFAULTS);
    Recorder recorder = new Recorder(decoder).write(CLIENT_HEADER).write(STARTTLS);

    decoder.reset(); // RFC 6120 §5.4.3.3: TLS is in place, the client opens a new stream
    recorder.write(CLIENT_HEADER).write(MESSAGE);

    assertThat(recorder.seen).containsExactly(EXPECTED.get(0), EXPECTED.get(1), EXPECTED.get(0),
        EXPECTED.get(4));
  }

  @Test
  void aResetWhileHandlingAnEventAppliesFromTheNextByteOfTheSameRead() {
    XmppStreamDecoder decoder = new XmppStreamDecoder(XmlLimits.DEFAULTS);
    List<Object> seen = new ArrayList<>();
    EmbeddedChannel channel = new EmbeddedChannel(decoder, new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        seen.add(msg);
        if (msg instanceof StreamEvent.Element e && e.element().name().equals("success")) {
          decoder.reset(); // RFC 6120 §6.4.6
        }
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        seen.add(cause);
      }
    });

    channel.writeInbound(Unpooled.copiedBuffer(CLIENT_HEADER
        + "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>" + CLIENT_HEADER + BIND,
        StandardCharsets.UTF_8));

    assertThat(seen).containsExactly(EXPECTED.get(0),
        new StreamEvent.Element(XmlElement.builder("success", "urn:ietf:params:xml:ns:xmpp-sasl")
            .build(), utf8("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>")),
        EXPECTED.get(0), EXPECTED.get(3));
  }

  @Test
  void eventsDecodedBeforeAnErrorArePassedOnBeforeIt() {
    Recorder recorder = Recorder.streamDecoder(XmlLimits.DEFAULTS)
        .write(CLIENT_HEADER + "<presence/><message><!-- no --></message><presence/>");

    assertThat(recorder.seen).hasSize(3);
    assertThat(recorder.seen.get(1)).isEqualTo(new StreamEvent.Element(
        XmlElement.builder("presence", "jabber:client").build(), 11));
    assertThat(recorder.error().condition()).isEqualTo(StreamErrorCondition.RESTRICTED_XML);
  }

  @Test
  void aLongStreamOfDistinctNamesKeepsTheHeadersNamespacesAcrossParserRenewals() {
    // with 300-byte stanzas the parser is renewed every few stanzas
    XmlLimits small = new XmlLimits(300, 8, 8, 100);
    StringBuilder script = new StringBuilder("<stream:stream xmlns='jabber:server'"
        + " xmlns:stream='http://etherx.jabber.org/streams'"
        + " xmlns:db='jabber:server:dialback' to='example.net'>");
    List<StreamEvent> expected = new ArrayList<>();
    expected.add(new StreamEvent.Open(Map.of("to", "example.net"), "jabber:server"));
    for (int i = 0; i < 40; i++) {
      String result = "<db:result from='example.org' to='example.net'>key" + i + "</db:result>";
      String message = "<message><n" + i + " xmlns='urn:example'/></message>";
      script.append(result).append(' ').append(message);
      expected.add(new StreamEvent.Element(XmlElement.builder("result", "jabber:server:dialback")
          .attribute("from", "example.org").attribute("to", "example.net").text("key" + i)
          .build(), utf8(result)));
      expected.add(new StreamEvent.Element(XmlElement.builder("message", "jabber:server")
          .child(XmlElement.builder("n" + i, "urn:example").build()).build(), utf8(message)));
    }
    byte[] bytes = script.toString().getBytes(StandardCharsets.UTF_8);

    assertThat(Recorder.streamDecoder(small).write(bytes).seen).containsExactlyElementsOf(expected);
    assertThat(Recorder.streamDecoder(small).writeInChunks(bytes, 1).seen)
        .containsExactlyElementsOf(expected);
    assertThat(Recorder.streamDecoder(small).writeInChunks(bytes, 7).seen)
        .containsExactlyElementsOf(expected);
  }

  @Test
  void anIdleStreamDropsItsParserStateAndTheNextStanzaStillKnowsTheStreamsNamespaces() throws Exception {
    XmlStreamParser parser = new XmlStreamParser(XmlLimits.DEFAULTS, XmlStreamParser.Mode.STREAM);
    List<StreamEvent> seen = new ArrayList<>();
    String header = "<stream:stream xmlns='jabber:client' xmlns:stream="
        + "'http://etherx.jabber.org/streams' xmlns:x='urn:example:x' to='example.net'>";
    feedAll(parser, header + "<presence/>", seen);
    assertThat(parser.releaseIfIdle()).as("idle after a stanza").isTrue();

    String message = "<message to='a@example.net'><x:n>1</x:n></message>";
    feedAll(parser, " " + message.substring(0, 20), seen);
    assertThat(parser.releaseIfIdle()).as("inside a stanza").isFalse();
    feedAll(parser, message.substring(20) + "<pres", seen);
    assertThat(parser.releaseIfIdle()).as("inside a tag").isFalse();
    feedAll(parser, "ence/>", seen);
    assertThat(parser.releaseIfIdle()).isTrue();
    assertThat(parser.releaseIfIdle()).as("already released").isFalse();

    assertThat(seen).hasSize(4);
    assertThat(seen.get(2)).isEqualTo(new StreamEvent.Element(
        XmlElement.builder("message", "jabber:client").attribute("to", "a@example.net")
            .child(XmlElement.builder("n", "urn:example:x").text("1").build()).build(),
        utf8(message)));
    assertThat(seen.get(3)).isEqualTo(new StreamEvent.Element(
        XmlElement.builder("presence", "jabber:client").build(), utf8("<presence/>")));
  }

  private static void feedAll(XmlStreamParser parser, String xml, List<StreamEvent> seen)
      throws StreamErrorException {
    byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
    int at = 0;
    while (at < bytes.length) {
      at += parser.feed(bytes, at, bytes.length - at, seen::add);
    }
  }

  @Test
  void aStanzaOfExactlyTheLimitIsAccepted() {
    String stanza = "<message><body>" + "x".repeat(1000 - 32) + "</body></message>";
    assertThat(utf8(stanza)).isEqualTo(1000);

    Recorder recorder = Recorder.streamDecoder(new XmlLimits(1000, 64, 64, 1000))
        .write(CLIENT_HEADER).write(stanza);

    assertThat(recorder.errors()).isEmpty();
    assertThat(recorder.events()).last().extracting(e -> ((StreamEvent.Element) e).bytes())
        .isEqualTo(1000);
  }

  static int utf8(String xml) {
    return xml.getBytes(StandardCharsets.UTF_8).length;
  }
}
