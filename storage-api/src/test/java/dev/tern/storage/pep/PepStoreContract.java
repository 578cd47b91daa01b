package dev.tern.storage.pep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link PepStore} must have (XEP-0163 over XEP-0060's node and item
 * model). A test class per implementation extends it and supplies the store; each test uses
 * owners of its own, so the store may be shared between tests and hold other data (a real
 * Cassandra keyspace migrated to v15 or later).
 */
public abstract class PepStoreContract {

  private static final String AVATAR = "urn:xmpp:avatar:metadata";
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** The store under test; may return the same instance on every call. */
  protected abstract PepStore store();

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the store did not answer", e);
    }
  }

  private static String uniqueOwner() {
    return "juliet-" + UUID.randomUUID() + "@capulet.lit";
  }

  private static PepItem item(String id, int second) {
    return new PepItem(id, "<data xmlns='urn:example'>" + id + "</data>", T0.plusSeconds(second));
  }

  private static List<String> ids(List<PepItem> items) {
    return items.stream().map(PepItem::id).toList();
  }

  @Test
  void anOwnerWithoutNodesHasNone() {
    String owner = uniqueOwner();
    assertThat(await(store().nodes(owner))).isEmpty();
    assertThat(await(store().node(owner, AVATAR))).isEmpty();
    assertThat(await(store().items(owner, AVATAR, 10))).isEmpty();
  }

  @Test
  void aConfiguredNodeIsListedWithItsConfiguration() {
    String owner = uniqueOwner();
    NodeConfig open = new NodeConfig(AccessModel.OPEN, 5, true);

    await(store().configure(owner, AVATAR, open));
    await(store().configure(owner, "eu.siacs.conversations.axolotl.devicelist",
        NodeConfig.DEFAULT));

    assertThat(await(store().node(owner, AVATAR))).contains(open);
    assertThat(await(store().nodes(owner))).containsOnlyKeys(AVATAR,
        "eu.siacs.conversations.axolotl.devicelist").containsEntry(AVATAR, open);
  }

  @Test
  void publishingToAnAbsentNodeFails() {
    assertThatThrownBy(() -> store().publish(uniqueOwner(), AVATAR, item("a", 1))
        .toCompletableFuture().get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(NoSuchElementException.class);
  }

  @Test
  void itemsComeNewestFirstAndKeepTheirPayloadAndTime() {
    String owner = uniqueOwner();
    await(store().configure(owner, AVATAR, new NodeConfig(AccessModel.PRESENCE, 10, true)));

    await(store().publish(owner, AVATAR, item("a", 1)));
    await(store().publish(owner, AVATAR, item("b", 2)));
    await(store().publish(owner, AVATAR, item("c", 3)));

    assertThat(await(store().items(owner, AVATAR, 10)))
        .containsExactly(item("c", 3), item("b", 2), item("a", 1));
    assertThat(ids(await(store().items(owner, AVATAR, 2)))).containsExactly("c", "b");
    assertThat(ids(await(store().items(owner, AVATAR, List.of("a", "c", "zz")))))
        .containsExactly("c", "a");
  }

  @Test
  void publishingAnIdAgainReplacesTheItem() {
    String owner = uniqueOwner();
    await(store().configure(owner, AVATAR, new NodeConfig(AccessModel.PRESENCE, 10, true)));
    await(store().publish(owner, AVATAR, item("a", 1)));
    await(store().publish(owner, AVATAR, item("b", 2)));

    PepItem again = new PepItem("a", "<data xmlns='urn:example'>new</data>", T0.plusSeconds(3));
    await(store().publish(owner, AVATAR, again));

    assertThat(await(store().items(owner, AVATAR, 10))).containsExactly(again, item("b", 2));
  }

  @Test
  void aNodeKeepsOnlyItsNewestMaxItems() {
    String owner = uniqueOwner();
    await(store().configure(owner, AVATAR, new NodeConfig(AccessModel.PRESENCE, 2, true)));

    for (int i = 1; i <= 5; i++) {
      await(store().publish(owner, AVATAR, item("i" + i, i)));
    }

    assertThat(ids(await(store().items(owner, AVATAR, 10)))).containsExactly("i5", "i4");
  }

  @Test
  void aNodeThatDoesNotPersistKeepsItsLastItem() {
    String owner = uniqueOwner();
    await(store().configure(owner, AVATAR, new NodeConfig(AccessModel.PRESENCE, 10, false)));

    await(store().publish(owner, AVATAR, item("a", 1)));
    await(store().publish(owner, AVATAR, item("b", 2)));

    assertThat(ids(await(store().items(owner, AVATAR, 10)))).containsExactly("b");
  }

  @Test
  void loweringMaxItemsDropsTheOldestItems() {
    String owner = uniqueOwner();
    await(store().configure(owner, AVATAR, new NodeConfig(AccessModel.PRESENCE, 10, true)));
    for (int i = 1; i <= 4; i++) {
      await(store().publish(owner, AVATAR, item("i" + i, i)));
    }

    await(store().configure(owner, AVATAR, new NodeConfig(AccessModel.OPEN, 1, true)));

    assertThat(ids(await(store().items(owner, AVATAR, 10)))).containsExactly("i4");
    assertThat(await(store().node(owner, AVATAR)))
        .contains(new NodeConfig(AccessModel.OPEN, 1, true));
  }

  @Test
  void retractRemovesOneItemAndSaysWhetherItWasThere() {
    String owner = uniqueOwner();
    await(store().configure(owner, AVATAR, new NodeConfig(AccessModel.PRESENCE, 10, true)));
    await(store().publish(owner, AVATAR, item("a", 1)));
    await(store().publish(owner, AVATAR, item("b", 2)));

    assertThat(await(store().retract(owner, AVATAR, "a"))).isTrue();
    assertThat(await(store().retract(owner, AVATAR, "a"))).isFalse();
    assertThat(await(store().retract(owner, "no-such-node", "b"))).isFalse();

    assertThat(ids(await(store().items(owner, AVATAR, 10)))).containsExactly("b");
  }

  @Test
  void deletingANodeRemovesItAndItsItems() {
    String owner = uniqueOwner();
    await(store().configure(owner, AVATAR, NodeConfig.DEFAULT));
    await(store().publish(owner, AVATAR, item("a", 1)));

    assertThat(await(store().delete(owner, AVATAR))).isTrue();
    assertThat(await(store().delete(owner, AVATAR))).isFalse();

    assertThat(await(store().node(owner, AVATAR))).isEmpty();
    assertThat(await(store().nodes(owner))).isEmpty();
    assertThat(await(store().items(owner, AVATAR, 10))).isEmpty();

    await(store().configure(owner, AVATAR, NodeConfig.DEFAULT));
    assertThat(await(store().items(owner, AVATAR, 10))).isEmpty(); // no item comes back
  }

  @Test
  void nodesOfDifferentOwnersAreApart() {
    String juliet = uniqueOwner();
    String romeo = uniqueOwner();
    await(store().configure(juliet, AVATAR, NodeConfig.DEFAULT));
    await(store().configure(romeo, AVATAR, NodeConfig.DEFAULT));
    await(store().publish(juliet, AVATAR, item("j", 1)));
    await(store().publish(romeo, AVATAR, item("r", 1)));

    await(store().delete(romeo, AVATAR));

    assertThat(ids(await(store().items(juliet, AVATAR, 10)))).containsExactly("j");
    assertThat(await(store().nodes(romeo))).isEmpty();
  }
}
