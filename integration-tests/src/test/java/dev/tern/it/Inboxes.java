package dev.tern.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;

/** What a test client receives, in the order it arrived. */
final class Inboxes {

  private Inboxes() {}

  /** Every message {@code c} receives from now on (a synchronous listener keeps the order). */
  static BlockingQueue<Message> inbox(XMPPTCPConnection c) {
    BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
    c.addSyncStanzaListener(s -> inbox.add((Message) s), StanzaTypeFilter.MESSAGE);
    return inbox;
  }

  /**
   * The bodies of the next {@code n} messages with a body, waiting up to 20 s for each; fails
   * naming the one that did not come.
   */
  static List<String> bodies(BlockingQueue<Message> inbox, int n) throws Exception {
    List<String> out = new ArrayList<>();
    while (out.size() < n) {
      Message m = inbox.poll(20, TimeUnit.SECONDS);
      assertThat(m).as("message %d of %d", out.size() + 1, n).isNotNull();
      if (m.getBody() != null) {
        out.add(m.getBody());
      }
    }
    return out;
  }
}
