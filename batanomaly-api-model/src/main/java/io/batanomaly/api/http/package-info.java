/**
 * The documented anomaly endpoints, independent of any web framework:
 * {@link io.batanomaly.api.http.AnomalyHttpHandler} answers an
 * {@link io.batanomaly.api.http.ApiRequest} carrying the principal the host authenticated, and
 * encodes JSON through the host's {@link io.batanomaly.api.http.JsonCodec};
 * {@link io.batanomaly.api.http.DashboardHandler} serves the Anomalies page, the browser
 * front end of those endpoints, in the same way.
 */
package io.batanomaly.api.http;
