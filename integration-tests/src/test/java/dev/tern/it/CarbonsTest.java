package dev.tern.it;

import static dev.tern.it.Inboxes.inbox;
import static dev.tern.it.XmppClients.login;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.carbons.CarbonManager;
import org.jivesoftware.smackx.carbons.packet.CarbonExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Message Carbons (XEP-0280): what Alice sends from one device shows up on her other devices
 * that asked for copies, wherever they are connected; private messages are not copied.
 */
@Order(20)
@ExtendWith(TestFederation.class)
class CarbonsTest {

  private String alice;
  private String bob;

  @BeforeEach
  void twoUsers() throws Exception {
    alice = XmppClients.registerNewUser("region-a");
    bob = XmppClients.registerNewUser("region-a");
  }

  /** A sent copy as Alice's other device sees it. */
  private record Copy(CarbonExtension.Direction direction, Message message, Message wrapper) {}

  private static BlockingQueue<Copy> copies(XMPPTCPConnection c) {
    BlockingQueue<Copy> copies = new LinkedBlockingQueue<>();
    CarbonManager.getInstanceFor(c).addCarbonCopyReceivedListener(
        (direction, message, wrapper) -> copies.add(new Copy(direction, message, wrapper)));
    return copies;
  }


  /**
   * Sends {@code message} from {@code phone} and returns once any carbon copy of it has reached
   * {@code laptop}'s session, which decides on the copy when it gets there (the laptop may be in
   * the other region). Once the phone's server acknowledged the message, every copy has left the
   * phone's edge; a ping from the phone to the laptop leaves the same edge after it, on the same
   * subject, so when the pong is back the laptop has seen whatever copy there was.
   */
  private static void sendAndLetCopiesPass(XMPPTCPConnection phone, XMPPTCPConnection laptop,
      Message message) throws Exception {
    java.util.concurrent.CountDownLatch stored = new java.util.concurrent.CountDownLatch(1);
    phone.addStanzaIdAcknowledgedListener(message.getStanzaId(), s -> stored.countDown());
    phone.sendStanza(message);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() -> {
      phone.requestSmAcknowledgement();
      return stored.await(200, java.util.concurrent.TimeUnit.MILLISECONDS);
    });
    assertThat(org.jivesoftware.smackx.ping.PingManager.getInstanceFor(phone)
        .ping(laptop.getUser())).isTrue();
  }

  private static <T> T next(BlockingQueue<T> queue) throws InterruptedException {
    T t = queue.poll(15, TimeUnit.SECONDS);
    assertThat(t).as("something within 15 s").isNotNull();
    return t;
  }

  private MessageBuilder toBob(XMPPTCPConnection from, String body) throws Exception {
    return from.getStanzaFactory().buildMessageStanza()
        .to(JidCreate.entityBareFrom(bob + "@localhost")).ofType(Message.Type.chat)
        .setBody(body);
  }

  @Test
  void whatAliceSendsFromOneDeviceIsCopiedToHerOtherDeviceInAnotherRegion() throws Exception {
    XMPPTCPConnection phone = login(XmppClients.tcp("region-a"), alice);
    XMPPTCPConnection laptop = login(XmppClients.tcp("region-b"), alice);
    XMPPTCPConnection b = login(XmppClients.tcp("region-a"), bob);
    try {
      assertThat(CarbonManager.getInstanceFor(laptop).isSupportedByServer()).isTrue();
      CarbonManager.getInstanceFor(phone).enableCarbons();
      CarbonManager.getInstanceFor(laptop).enableCarbons();
      BlockingQueue<Copy> onLaptop = copies(laptop);
      BlockingQueue<Copy> onPhone = copies(phone);
      BlockingQueue<Message> bobInbox = inbox(b);

      phone.sendStanza(toBob(phone, "sent from my phone").build());

      assertThat(next(bobInbox).getBody()).isEqualTo("sent from my phone");
      Copy copy = next(onLaptop);
      assertThat(copy.direction()).isEqualTo(CarbonExtension.Direction.sent);
      assertThat(copy.message().getBody()).isEqualTo("sent from my phone");
      assertThat(copy.message().getFrom().toString()).isEqualTo(phone.getUser().toString());
      assertThat(copy.message().getTo().toString()).isEqualTo(bob + "@localhost");
      assertThat(copy.wrapper().getFrom().toString()).isEqualTo(alice + "@localhost");
      assertThat(copy.wrapper().getTo().toString()).isEqualTo(laptop.getUser().toString());
      assertThat(onPhone.poll(2, TimeUnit.SECONDS)).as("no copy for the sending device").isNull();
    } finally {
      phone.disconnect();
      laptop.disconnect();
      b.disconnect();
    }
  }

  @Test
  void aPrivateMessageIsNotCopied() throws Exception {
    XMPPTCPConnection phone = login(XmppClients.tcp("region-a"), alice);
    XMPPTCPConnection laptop = login(XmppClients.tcp("region-a"), alice);
    try {
      CarbonManager.getInstanceFor(laptop).enableCarbons();
      BlockingQueue<Copy> onLaptop = copies(laptop);

      MessageBuilder secret = toBob(phone, "only from my phone");
      CarbonExtension.Private.addTo(secret);
      phone.sendStanza(secret.build());
      phone.sendStanza(toBob(phone, "for every device").build());

      // Copies leave in the order the messages were stored: the first is the second message.
      assertThat(next(onLaptop).message().getBody()).isEqualTo("for every device");
    } finally {
      phone.disconnect();
      laptop.disconnect();
    }
  }

  @Test
  void aDeviceGetsCopiesOnlyWhileItHasCarbonsEnabled() throws Exception {
    XMPPTCPConnection phone = login(XmppClients.tcp("region-a"), alice);
    XMPPTCPConnection laptop = login(XmppClients.tcp("region-b"), alice);
    XMPPTCPConnection b = login(XmppClients.tcp("region-a"), bob);
    try {
      BlockingQueue<Copy> onLaptop = copies(laptop);
      BlockingQueue<Message> bobInbox = inbox(b);
      sendAndLetCopiesPass(phone, laptop, toBob(phone, "before the laptop asked").build());
      assertThat(next(bobInbox).getBody()).isEqualTo("before the laptop asked");
      assertThat(onLaptop.poll()).as("no copy before the laptop asked").isNull();

      CarbonManager.getInstanceFor(laptop).enableCarbons();
      phone.sendStanza(toBob(phone, "after the laptop asked").build());
      assertThat(next(bobInbox).getBody()).isEqualTo("after the laptop asked");
      assertThat(next(onLaptop).message().getBody()).isEqualTo("after the laptop asked");

      CarbonManager.getInstanceFor(laptop).disableCarbons();
      sendAndLetCopiesPass(phone, laptop, toBob(phone, "after the laptop stopped").build());
      assertThat(next(bobInbox).getBody()).isEqualTo("after the laptop stopped");
      assertThat(onLaptop.poll()).as("no copy while carbons were off").isNull();
      CarbonManager.getInstanceFor(laptop).enableCarbons();
      phone.sendStanza(toBob(phone, "after it asked again").build());
      assertThat(next(onLaptop).message().getBody()).isEqualTo("after it asked again");
    } finally {
      phone.disconnect();
      laptop.disconnect();
      b.disconnect();
    }
  }
}
