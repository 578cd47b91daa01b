package dev.tern.storage.vcard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link VCardStore} must have (XEP-0054 §3.1–3.2). A test class per
 * implementation extends it and supplies the store; each test uses users of its own, so the store
 * may be shared between tests and hold other data (a real Cassandra keyspace migrated to v14 or
 * later).
 */
public abstract class VCardStoreContract {

  private static final String JULIETS = "<vCard xmlns='vcard-temp'><FN>Juliet Capulet</FN>"
      + "<NICKNAME>JC</NICKNAME></vCard>";

  /** The store under test; may return the same instance on every call. */
  protected abstract VCardStore store();

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the store did not answer", e);
    }
  }

  private static String uniqueUser() {
    return "juliet-" + UUID.randomUUID() + "@capulet.lit";
  }

  /** Milliseconds: what a Cassandra timestamp keeps. */
  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  @Test
  void aUserWhoSetNoVCardHasNone() {
    assertThat(await(store().find(uniqueUser()))).isEmpty();
  }

  @Test
  void aVCardSetIsFoundAsItWasSetWithItsTime() {
    String user = uniqueUser();
    Instant at = now();

    await(store().put(user, JULIETS, at));

    assertThat(await(store().find(user))).contains(new StoredVCard(JULIETS, at));
  }

  @Test
  void aSecondSetReplacesTheWholeVCard() {
    String user = uniqueUser();
    await(store().put(user, JULIETS, now().minusSeconds(60)));
    Instant later = now();

    await(store().put(user, "<vCard xmlns='vcard-temp'><FN>J</FN></vCard>", later));

    assertThat(await(store().find(user)))
        .contains(new StoredVCard("<vCard xmlns='vcard-temp'><FN>J</FN></vCard>", later));
  }

  @Test
  void aDeletedVCardIsGoneAndMaySetAgain() {
    String user = uniqueUser();
    await(store().put(user, JULIETS, now()));

    await(store().delete(user));
    assertThat(await(store().find(user))).isEmpty();

    await(store().put(user, JULIETS, now()));
    assertThat(await(store().find(user))).map(StoredVCard::xml).contains(JULIETS);
  }

  @Test
  void deletingAVCardNobodySetDoesNothing() {
    String user = uniqueUser();
    await(store().delete(user));
    assertThat(await(store().find(user))).isEmpty();
  }

  @Test
  void vCardsOfDifferentUsersAreApart() {
    String juliet = uniqueUser();
    String nurse = uniqueUser();
    await(store().put(juliet, JULIETS, now()));
    await(store().put(nurse, "<vCard xmlns='vcard-temp'><FN>Nurse</FN></vCard>", now()));

    await(store().delete(nurse));

    assertThat(await(store().find(juliet))).map(StoredVCard::xml).contains(JULIETS);
    assertThat(await(store().find(nurse))).isEmpty();
  }

  @Test
  void aLargeVCardWithAPhotoIsKeptWhole() {
    String user = uniqueUser();
    String photo = "QUJD".repeat(16 * 1024); // 64 KiB of base64
    String xml = "<vCard xmlns='vcard-temp'><PHOTO><TYPE>image/png</TYPE><BINVAL>" + photo
        + "</BINVAL></PHOTO><FN>Jülïet ❤</FN></vCard>";

    await(store().put(user, xml, now()));

    assertThat(await(store().find(user))).map(StoredVCard::xml).contains(xml);
  }
}
