package dev.tern.edge.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.epoll.EpollServerSocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class TransportsTest {

  @Test
  @EnabledOnOs(OS.LINUX)
  void onLinuxTheListenersUseNativeEpoll() {
    assertThat(Transports.epoll()).isTrue();
    assertThat(Transports.serverChannel()).isEqualTo(EpollServerSocketChannel.class);
  }
}
