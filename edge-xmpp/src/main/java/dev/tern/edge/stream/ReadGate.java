package dev.tern.edge.stream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;

/**
 * The one handler of a client's pipeline that turns reading its socket off and on (auto-read,
 * and the read requests of handlers further in), for every reason at once: its own (the
 * inbound byte rate, a write buffer past its high-water mark) and the session's (too many
 * stanzas in flight). Reading resumes only once no reason holds, so two of them never undo each
 * other; nothing else in the pipeline sets auto-read.
 */
public interface ReadGate extends ChannelHandler {

  /** Stops reading for the session, until {@link #releaseReading}. */
  void holdReading(Channel channel);

  /** Lifts {@link #holdReading}: reading resumes unless another reason still holds it. */
  void releaseReading(Channel channel);

  /**
   * Holds or releases reading {@code channel} for its session, through the pipeline's gate; in
   * a pipeline without one (a test's) through auto-read itself.
   */
  static void hold(Channel channel, boolean hold) {
    ReadGate gate = channel.pipeline().get(ReadGate.class);
    if (gate == null) {
      channel.config().setAutoRead(!hold);
    } else if (hold) {
      gate.holdReading(channel);
    } else {
      gate.releaseReading(channel);
    }
  }
}
