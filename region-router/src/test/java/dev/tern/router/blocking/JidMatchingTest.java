package dev.tern.router.blocking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** XEP-0191 §5 JID matching, one case per rule and its near misses. */
class JidMatchingTest {

  @ParameterizedTest(name = "item {0} covers {1}: {2}")
  @CsvSource({
      // 1. user@domain/resource: only that resource
      "romeo@montague.lit/orchard, romeo@montague.lit/orchard, true",
      "romeo@montague.lit/orchard, romeo@montague.lit/garden, false",
      "romeo@montague.lit/orchard, romeo@montague.lit, false",
      // 2. user@domain: any resource, and the bare JID
      "romeo@montague.lit, romeo@montague.lit, true",
      "romeo@montague.lit, romeo@montague.lit/orchard, true",
      "romeo@montague.lit, benvolio@montague.lit, false",
      "romeo@montague.lit, romeo@capulet.lit, false",
      "romeo@montague.lit, montague.lit, false",
      // 3. domain/resource: only that resource of the domain itself
      "montague.lit/bot, montague.lit/bot, true",
      "montague.lit/bot, romeo@montague.lit/bot, false",
      "montague.lit/bot, montague.lit, false",
      // 4. domain: the domain, everything at it, and its subdomains
      "montague.lit, montague.lit, true",
      "montague.lit, romeo@montague.lit, true",
      "montague.lit, romeo@montague.lit/orchard, true",
      "montague.lit, montague.lit/bot, true",
      "montague.lit, chat.montague.lit, true",
      "montague.lit, nurse@chat.montague.lit/x, true",
      "montague.lit, evilmontague.lit, false",
      "montague.lit, capulet.lit, false",
  })
  void anItemCoversTheJidsXep0191Names(String item, String jid, boolean covered) {
    assertThat(JidMatching.matches(item, jid)).isEqualTo(covered);
    assertThat(new BlockList(Set.of(item)).blocks(jid)).isEqualTo(covered);
  }

  @ParameterizedTest
  @CsvSource({"romeo@montague.lit/a/b@c, romeo@montague.lit/a/b@c, true",
      "romeo@montague.lit/a/b@c, romeo@montague.lit/a, false"})
  void aResourceMayHoldSlashesAndAtSigns(String item, String jid, boolean covered) {
    assertThat(JidMatching.matches(item, jid)).isEqualTo(covered);
  }

  @ParameterizedTest(name = "item {0} covers {1}: {2}")
  @CsvSource({
      "romeo@montague.lit, Romeo@MONTAGUE.lit/orchard, true",
      "Romeo@Montague.LIT, romeo@montague.lit, true",
      "montague.lit, nurse@Chat.Montague.lit, true",
      "romeo@montague.lit/Orchard, romeo@montague.lit/orchard, false",
  })
  void itemsAndJidsCompareInTheirPreparedFormWhereCaseIsFoldedButNotInResources(String item,
      String jid, boolean covered) {
    assertThat(JidMatching.matches(item, jid)).isEqualTo(covered);
    assertThat(new BlockList(Set.of(item)).blocks(jid)).isEqualTo(covered);
  }

  @Test
  void anItemThatIsNoJidCoversOnlyTheSameString() {
    BlockList list = new BlockList(Set.of("@montague.lit", "romeo@"));

    assertThat(list.blocks("@montague.lit")).isTrue();
    assertThat(list.blocks("romeo@")).isTrue();
    assertThat(list.blocks("montague.lit")).isFalse();
    assertThat(list.blocks("nurse@montague.lit")).isFalse();
    assertThat(JidMatching.matches("@montague.lit", "nurse@montague.lit")).isFalse();
  }

  @Test
  void somethingThatIsNoJidIsCoveredOnlyByTheSameString() {
    BlockList list = new BlockList(Set.of("montague.lit", "romeo@montague.lit"));

    assertThat(list.blocks("romeo@montague.lit/")).as("an empty resource").isFalse();
    assertThat(list.blocks("@montague.lit")).as("an empty localpart").isFalse();
    assertThat(JidMatching.matches("montague.lit", "romeo@montague.lit/")).isFalse();
    assertThat(JidMatching.matches("romeo@montague.lit/", "romeo@montague.lit/")).isTrue();
  }
}
