package dev.tern.router;

import static java.util.Objects.requireNonNull;

import dev.tern.storage.accounts.AccountStore;
import dev.tern.storage.accounts.InMemoryAccountStore;
import dev.tern.storage.archive.ArchiveStore;
import dev.tern.storage.archive.InMemoryArchiveStore;
import dev.tern.storage.blocking.BlockListStore;
import dev.tern.storage.blocking.InMemoryBlockListStore;
import dev.tern.storage.chats.ChatHomeStore;
import dev.tern.storage.chats.ChatLeaseStore;
import dev.tern.storage.chats.InMemoryChatHomeStore;
import dev.tern.storage.chats.InMemoryChatLeaseStore;
import dev.tern.storage.errors.StoreErrors;
import dev.tern.storage.messages.InMemoryMessageStore;
import dev.tern.storage.messages.InMemoryUnreadQueue;
import dev.tern.storage.messages.MessageStore;
import dev.tern.storage.messages.UnreadQueue;
import dev.tern.storage.pep.InMemoryPepStore;
import dev.tern.storage.pep.PepStore;
import dev.tern.storage.receipts.InMemoryReceiptStore;
import dev.tern.storage.receipts.ReceiptStore;
import dev.tern.storage.roster.InMemoryLastActivityStore;
import dev.tern.storage.roster.InMemoryRosterStore;
import dev.tern.storage.roster.LastActivityStore;
import dev.tern.storage.roster.RosterStore;
import dev.tern.storage.vcard.InMemoryVCardStore;
import dev.tern.storage.vcard.VCardStore;

/**
 * The stores a router works on, as interfaces: the region process hands it the Cassandra ones,
 * a test may hand it the in-memory ones.
 *
 * @param accounts the accounts of the domain (whether a recipient exists)
 * @param chatLeases the leases of the chats' sequencers
 * @param chatHomes each chat's home region
 * @param vcards each user's vCard (XEP-0054)
 * @param pep each user's PEP nodes and items (XEP-0163)
 * @param errors tells the stores' passing failures (timeouts, overload) from the others
 */
public record RouterStores(MessageStore messages, UnreadQueue unread, ArchiveStore archive,
    ReceiptStore receipts, RosterStore rosters, LastActivityStore lastActivity,
    BlockListStore blockLists, AccountStore accounts, ChatLeaseStore chatLeases,
    ChatHomeStore chatHomes, VCardStore vcards, PepStore pep, StoreErrors errors) {

  public RouterStores {
    requireNonNull(messages, "messages");
    requireNonNull(unread, "unread");
    requireNonNull(archive, "archive");
    requireNonNull(receipts, "receipts");
    requireNonNull(rosters, "rosters");
    requireNonNull(lastActivity, "lastActivity");
    requireNonNull(blockLists, "blockLists");
    requireNonNull(accounts, "accounts");
    requireNonNull(chatLeases, "chatLeases");
    requireNonNull(chatHomes, "chatHomes");
    requireNonNull(vcards, "vcards");
    requireNonNull(pep, "pep");
    requireNonNull(errors, "errors");
  }

  /** Fresh, empty in-memory stores, for tests. */
  public static RouterStores inMemory() {
    return new RouterStores(new InMemoryMessageStore(), new InMemoryUnreadQueue(),
        new InMemoryArchiveStore(), new InMemoryReceiptStore(), new InMemoryRosterStore(),
        new InMemoryLastActivityStore(), new InMemoryBlockListStore(),
        new InMemoryAccountStore(), new InMemoryChatLeaseStore(), new InMemoryChatHomeStore(),
        new InMemoryVCardStore(), new InMemoryPepStore(), StoreErrors.NONE);
  }
}
