package io.batanomaly.internal;

import io.batanomaly.spi.Attachment;
import java.util.function.Function;

/** An attachment slot: its index in a scope's slot array and the factory of its state. */
final class AttachmentKey<S, T> implements Attachment<T> {
  final int index;
  final Function<S, T> factory;

  AttachmentKey(int index, Function<S, T> factory) {
    this.index = index;
    this.factory = factory;
  }
}
