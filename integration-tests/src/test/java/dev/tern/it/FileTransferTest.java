package dev.tern.it;

import static dev.tern.it.XmppClients.login;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.bytestreams.socks5.Socks5BytestreamManager;
import org.jivesoftware.smackx.bytestreams.socks5.Socks5Proxy;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.filetransfer.FileTransfer;
import org.jivesoftware.smackx.filetransfer.FileTransferManager;
import org.jivesoftware.smackx.filetransfer.FileTransferNegotiator;
import org.jivesoftware.smackx.filetransfer.OutgoingFileTransfer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jxmpp.jid.impl.JidCreate;

/**
 * File transfer (XEP-0096) between two users in different regions with Smack: through the
 * region's SOCKS5 bytestreams proxy (XEP-0065), the clients' own direct connections turned off,
 * and in band (XEP-0047).
 */
@Order(29)
@ExtendWith(TestFederation.class)
class FileTransferTest {

  private XMPPTCPConnection alice;
  private XMPPTCPConnection bob;

  @BeforeEach
  void twoUsers() throws Exception {
    // Only the server's proxy: Smack would otherwise offer its own SOCKS5 listener first.
    Socks5Proxy.setLocalSocks5ProxyEnabled(false);
    alice = login(XmppClients.tcp("region-a"), XmppClients.registerNewUser("region-a"));
    bob = login(XmppClients.tcp("region-b"), XmppClients.registerNewUser("region-b"));
  }

  @AfterEach
  void disconnect() {
    FileTransferNegotiator.IBB_ONLY = false;
    Socks5Proxy.setLocalSocks5ProxyEnabled(true);
    alice.disconnect();
    bob.disconnect();
  }

  @Test
  void theServersProxyIsFoundAndAFileGoesThroughIt() throws Exception {
    assertThat(ServiceDiscoveryManager.getInstanceFor(alice).findServices(
            "http://jabber.org/protocol/bytestreams", true, false))
        .extracting(Object::toString).contains("proxy.localhost");
    Socks5BytestreamManager.getBytestreamManager(alice).setProxyPrioritizationEnabled(false);

    assertArrivesIntact(1 << 20);
  }

  @Test
  void aFileGoesInBandToo() throws Exception {
    FileTransferNegotiator.IBB_ONLY = true;

    assertArrivesIntact(64 << 10);
  }

  private void assertArrivesIntact(int size) throws Exception {
    byte[] file = new byte[size];
    new Random(size).nextBytes(file);
    CompletableFuture<byte[]> received = new CompletableFuture<>();
    FileTransferManager.getInstanceFor(bob).addFileTransferListener(request -> {
      try (InputStream in = request.accept().receiveFile()) {
        received.complete(in.readAllBytes());
      } catch (Exception e) {
        received.completeExceptionally(e);
      }
    });
    OutgoingFileTransfer out = FileTransferManager.getInstanceFor(alice)
        .createOutgoingFileTransfer(JidCreate.entityFullFrom(bob.getUser()));
    out.sendStream(new ByteArrayInputStream(file), "file.bin", file.length, "a test file");

    byte[] got = received.get(60, TimeUnit.SECONDS);
    assertThat(out.getStatus()).isNotEqualTo(FileTransfer.Status.error);
    assertThat(got).hasSize(size).isEqualTo(file);
  }
}
