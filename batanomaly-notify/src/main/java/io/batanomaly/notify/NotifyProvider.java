package io.batanomaly.notify;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyListener;
import io.batanomaly.Setting;
import io.batanomaly.spi.NotifierContext;
import io.batanomaly.spi.NotifierProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates the notifiers of {@link NotifySettings} for an engine: a {@link WebhookNotifier} when
 * {@code ANOMALY_WEBHOOK_URLS} is set, and a {@link WebPushNotifier} when the VAPID keys are.
 * Found with {@link java.util.ServiceLoader} whenever this module is on the class path, so the
 * settings alone switch the notifiers on; the host reads them back with
 * {@code engine.notifier(WebhookNotifier.class)} and {@code engine.notifier(WebPushNotifier.class)}.
 *
 * <p>Thread-safe and stateless.
 */
public final class NotifyProvider implements NotifierProvider {

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public NotifyProvider() {}

  @Override
  public String name() {
    return "notify";
  }

  @Override
  public List<Setting<?>> settings() {
    return NotifySettings.all();
  }

  @Override
  public List<String> check(AnomalyConfig config) {
    return NotifySettings.check(config);
  }

  @Override
  public List<AnomalyListener> create(NotifierContext context) {
    AnomalyConfig config = context.config();
    List<AnomalyListener> created = new ArrayList<>(2);
    if (!config.get(NotifySettings.WEBHOOK_URLS).isEmpty()) {
      created.add(WebhookNotifier.fromConfig(config, context.clock()));
    }
    if (!config.get(NotifySettings.WEBPUSH_VAPID_PRIVATE_KEY).isBlank()) {
      created.add(WebPushNotifier.fromConfig(config, context.clock()));
    }
    return created;
  }
}
