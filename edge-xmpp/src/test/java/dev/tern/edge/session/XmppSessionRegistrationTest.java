package dev.tern.edge.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.xmpp.xml.XmlElement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** XEP-0077: registration, password change and account removal, as a client sees them. */
class XmppSessionRegistrationTest {

  private static final String REGISTER = "jabber:iq:register";

  private final TestEdge edge = TestEdge.withRegistration();

  private static String register(String username, String password) {
    return "<iq type='set' id='reg1'><query xmlns='" + REGISTER + "'><username>" + username
        + "</username><password>" + password + "</password></query></iq>";
  }

  @Test
  void aNewNameIsRegisteredWithItsPasswordHashedOffTheStream() {
    TestClient client = edge.webSocket();
    client.open();

    client.send(register("juliet", "balcony-at-night"));

    assertThat(client.next().attribute("type")).contains("result");
    assertThat(edge.accounts().find("juliet").toCompletableFuture().join()).isPresent();
    assertThat(edge.passwordHashings()).isEqualTo(1);
  }

  @Test
  void aTakenNameIsAConflictFoundBeforeAnyHashing() {
    edge.account("juliet", "balcony-at-night");
    TestClient client = edge.webSocket();
    client.open();

    client.send(register("Juliet", "another-password"));

    XmlElement reply = client.next();
    assertThat(TestClient.errorCondition(reply)).isEqualTo("conflict");
    assertThat(edge.passwordHashings()).as("a taken name costs no hashing").isZero();
  }

  @Test
  void registrationClosedByTheOperatorIsNotAllowedButPasswordChangeStays() {
    TestEdge closed = TestEdge.create().account("romeo", "montague-rose");
    TestClient romeo = closed.webSocket().login("romeo", "montague-rose", "phone");

    romeo.send("<iq type='set' id='pw'><query xmlns='" + REGISTER + "'><username>romeo"
        + "</username><password>a-new-password</password></query></iq>");

    assertThat(romeo.next().attribute("type")).contains("result");
    assertThat(closed.passwordHashings()).isEqualTo(1);
  }

  @Test
  void removingYourAccountAnswersThenClosesEverySessionOfItAndTheNameIsFree() {
    edge.account("juliet", "balcony-at-night");
    TestClient phone = edge.webSocket().login("juliet", "balcony-at-night", "phone");
    TestClient laptop = edge.webSocket().login("juliet", "balcony-at-night", "laptop");
    phone.drain();
    laptop.drain();

    phone.send("<iq type='set' id='rm'><query xmlns='" + REGISTER + "'><remove/></query></iq>");

    XmlElement answer = phone.next();
    assertThat(answer.attribute("id")).as(answer.toString()).contains("rm");
    assertThat(answer.attribute("type")).contains("result");
    phone.assertStreamError("not-authorized"); // XEP-0077 §3.2, after the answer
    laptop.assertStreamError("not-authorized");
    assertThat(edge.accounts().find("juliet").toCompletableFuture().join()).isEmpty();
    TestClient again = edge.webSocket();
    again.open();
    again.send(register("juliet", "a-fresh-start"));
    assertThat(again.next().attribute("type")).contains("result");
  }

  @Test
  void theRemovalsAnswerPrecedesTheStreamErrorAlsoWhenStreamManagementStoresItFirst() {
    // The answer goes on the wire only once stream management has stored it.
    LateResumptionStore late = new LateResumptionStore();
    TestEdge lateEdge = TestEdge.withResumptionStore(late.store()).account("juliet", "balcony-at-night");
    TestClient phone = lateEdge.webSocket().login("juliet", "balcony-at-night", "phone");
    phone.enableSm();
    phone.drain();

    phone.send("<iq type='set' id='rm'><query xmlns='" + REGISTER + "'><remove/></query></iq>");
    assertThat(phone.drain()).as("the answer waits for its store write").isEmpty();
    assertThat(phone.isOpen()).as("and so does the stream error").isTrue();

    late.answerAll();
    phone.run();
    XmlElement answer = phone.next();
    assertThat(answer.attribute("id")).as(answer.toString()).contains("rm");
    phone.assertStreamError("not-authorized");
  }

  @Test
  void aPasswordChangeClosesTheAccountsOtherSessionsAndTheOldPasswordNoLongerWorks() {
    edge.account("juliet", "balcony-at-night");
    TestClient phone = edge.webSocket().login("juliet", "balcony-at-night", "phone");
    TestClient laptop = edge.webSocket().login("juliet", "balcony-at-night", "laptop");
    phone.drain();
    laptop.drain();

    phone.send("<iq type='set' id='pw'><query xmlns='" + REGISTER + "'><username>juliet"
        + "</username><password>a-new-password</password></query></iq>");

    assertThat(phone.next().attribute("type")).contains("result");
    laptop.assertStreamError("not-authorized");
    assertThat(phone.isOpen()).as("the session that changed it stays").isTrue();
    TestClient old = edge.webSocket();
    old.open();
    old.sendPlain("juliet", "balcony-at-night");
    assertThat(old.next().name()).isEqualTo("failure");
    edge.webSocket().login("juliet", "a-new-password", "tablet");
  }

  @Test
  void oneAddressRegistersTenAccountsAtOnceThenIsToldToWait() {
    for (int i = 0; i < 10; i++) {
      TestClient client = edge.webSocketFrom("198.51.100.7");
      client.open();
      client.send(register("user" + i, "a-long-password"));
      assertThat(client.next().attribute("type")).contains("result");
    }
    TestClient eleventh = edge.webSocketFrom("198.51.100.7");
    eleventh.open();
    eleventh.send(register("user10", "a-long-password"));

    XmlElement refused = eleventh.next();
    assertThat(TestClient.errorCondition(refused)).isEqualTo("resource-constraint");
    assertThat(edge.accounts().find("user10").toCompletableFuture().join()).isEmpty();
    assertThat(edge.passwordHashings()).as("no hashing for a refused one").isEqualTo(10);
    TestClient elsewhere = edge.webSocketFrom("203.0.113.20");
    elsewhere.open();
    elsewhere.send(register("user10", "a-long-password"));
    assertThat(elsewhere.next().attribute("type")).as("another address").contains("result");
  }

  @Test
  void eachRegistrationRestartsThePreAuthenticationClockOfAToolRegisteringManyAccounts() {
    TestClient tool = edge.webSocket();
    tool.open();
    tool.advance(Duration.ofSeconds(20));
    tool.send(register("first", "a-long-password"));
    assertThat(tool.next().attribute("type")).contains("result");

    tool.advance(Duration.ofSeconds(20)); // 40 s after connecting, 20 s after its registration
    tool.send(register("second", "a-long-password"));
    assertThat(tool.next().attribute("type")).contains("result");

    tool.advance(Duration.ofSeconds(31)); // then idle past xmpp.limits.preAuthTimeout (30 s)
    tool.assertStreamError("connection-timeout");
  }

  @Test
  void removalBeforeLoggingInIsNotAuthorized() {
    edge.account("juliet", "balcony-at-night");
    TestClient client = edge.webSocket();
    client.open();

    client.send("<iq type='set' id='rm'><query xmlns='" + REGISTER + "'><username>juliet"
        + "</username><remove/></query></iq>");

    assertThat(TestClient.errorCondition(client.next())).isEqualTo("not-authorized");
    assertThat(edge.accounts().find("juliet").toCompletableFuture().join()).isPresent();
  }
}
