package io.batanomaly.kafka;

/**
 * Which clock the engines of the topology run on: what "now" is for detection times, cooldown,
 * silence and verification timeouts, and what drives their ticks.
 */
public enum TimeMode {

  /**
   * Live traffic: each engine runs on the host's clock (the system clock unless the host gives
   * another) and ticks from a wall-clock punctuator every {@code ANOMALY_TICK_INTERVAL}, so a
   * silent service is reported even when no event at all arrives. This is what an embedded
   * engine does.
   */
  WALL_CLOCK,

  /**
   * Replays and backfills of recorded traffic: each engine's clock follows its task's event
   * time (the end of the second of the newest event, as the demo's replay does) and it ticks at
   * every multiple of {@code ANOMALY_TICK_INTERVAL} of event time the stream passes, from a
   * stream-time punctuator and before each event. Silence is then judged on event time: it
   * needs other events of the same task to move time on.
   */
  EVENT_TIME
}
