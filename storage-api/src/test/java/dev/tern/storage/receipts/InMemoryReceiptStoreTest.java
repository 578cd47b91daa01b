package dev.tern.storage.receipts;

class InMemoryReceiptStoreTest extends ReceiptStoreContract {

  private final InMemoryReceiptStore store = new InMemoryReceiptStore();

  @Override
  protected ReceiptStore store() {
    return store;
  }
}
