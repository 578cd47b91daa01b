/** Who numbers which chat: chats' home regions and the shard leases of their sequencers. */
package dev.tern.storage.chats;
