package io.batanomaly.notify;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Outbox#inMemory(int)}: a map of pending deliveries and a bounded deque of dead letters,
 * under one lock (taken per delivery step, never per event). The notifier bounds the pending
 * ones ({@code ANOMALY_WEBHOOK_MAX_PENDING}).
 */
final class InMemoryOutbox implements Outbox {
  private final int deadLetterCap;
  private final Map<String, OutboxEntry> pending = new LinkedHashMap<>();
  private final ArrayDeque<DeadLetter> deadLetters = new ArrayDeque<>();

  InMemoryOutbox(int deadLetterCap) {
    if (deadLetterCap < 1) {
      throw new IllegalArgumentException("deadLetterCap must be at least 1, but was '"
          + deadLetterCap + "'");
    }
    this.deadLetterCap = deadLetterCap;
  }

  private static String key(String deliveryId, String targetId) {
    return deliveryId + '\n' + targetId;
  }

  @Override
  public boolean durable() {
    return false;
  }

  @Override
  public synchronized void add(OutboxEntry entry) {
    pending.put(key(entry.deliveryId(), entry.targetId()), entry);
  }

  @Override
  public synchronized void update(OutboxEntry entry) {
    pending.replace(key(entry.deliveryId(), entry.targetId()), entry);
  }

  @Override
  public synchronized void remove(String deliveryId, String targetId) {
    pending.remove(key(deliveryId, targetId));
  }

  @Override
  public synchronized int deadLetter(OutboxEntry e, Instant failedAt, String reason) {
    pending.remove(key(e.deliveryId(), e.targetId()));
    int dropped = 0;
    while (deadLetters.size() >= deadLetterCap) {
      deadLetters.pollFirst();
      dropped++;
    }
    deadLetters.addLast(DeadLetter.of(e, failedAt, reason));
    return dropped;
  }

  @Override
  public synchronized List<OutboxEntry> pending() {
    return List.copyOf(pending.values());
  }

  @Override
  public synchronized List<DeadLetter> deadLetters() {
    return List.copyOf(deadLetters);
  }

  @Override
  public synchronized List<DeadLetter> takeDeadLetters(String deliveryId) {
    List<DeadLetter> taken = new ArrayList<>();
    for (Iterator<DeadLetter> it = deadLetters.iterator(); it.hasNext(); ) {
      DeadLetter l = it.next();
      if (deliveryId == null || l.deliveryId().equals(deliveryId)) {
        taken.add(l);
        it.remove();
      }
    }
    return taken;
  }
}
