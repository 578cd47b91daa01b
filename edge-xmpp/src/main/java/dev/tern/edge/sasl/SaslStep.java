package dev.tern.edge.sasl;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * What the server answers to one message of the client (RFC 6120 §6.4.3–§6.4.6). The bytes are
 * raw, not base 64: the session encodes them (see {@link SaslBase64}).
 */
public sealed interface SaslStep permits SaslStep.Challenge, SaslStep.Success, SaslStep.Failure {

  /**
   * Send {@code <challenge/>} with {@code data} and wait for a {@code <response/>}. An empty
   * challenge is what a client-first mechanism gets when the {@code <auth/>} carried no initial
   * response (RFC 4422 §5, point 3).
   */
  record Challenge(byte[] data) implements SaslStep {
    public Challenge {
      data = requireNonNull(data, "data").clone();
    }

    @Override
    public byte[] data() {
      return data.clone();
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Challenge c && Arrays.equals(data, c.data);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "Challenge[" + data.length + " bytes]";
    }
  }

  /**
   * Send {@code <success/>}: {@code username} (the PRECIS UsernameCaseMapped localpart) is
   * authenticated. {@code additionalData} is the SCRAM server-final-message; empty means there is
   * no additional data (PLAIN), so the element is sent without text (RFC 6120 §6.4.6).
   */
  record Success(byte[] additionalData, String username) implements SaslStep {
    public Success {
      additionalData = requireNonNull(additionalData, "additionalData").clone();
      requireNonNull(username, "username");
    }

    @Override
    public byte[] additionalData() {
      return additionalData.clone();
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Success s
          && Arrays.equals(additionalData, s.additionalData)
          && username.equals(s.username);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(additionalData) + username.hashCode();
    }

    @Override
    public String toString() {
      return "Success[" + username + ", " + additionalData.length + " bytes]";
    }
  }

  /**
   * Send {@code <failure/>} with {@code condition} and, unless empty, {@code <text/>}. For SCRAM
   * the text starts with the RFC 5802 §7 server-error-value when one applies (for instance
   * {@code invalid-proof}); it never tells an unknown user from a wrong password.
   */
  record Failure(SaslFailure condition, String text) implements SaslStep {
    public Failure {
      requireNonNull(condition, "condition");
      requireNonNull(text, "text");
    }

    public Failure(SaslFailure condition) {
      this(condition, "");
    }
  }
}
