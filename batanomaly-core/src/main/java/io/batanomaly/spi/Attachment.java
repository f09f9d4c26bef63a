package io.batanomaly.spi;

/**
 * A key for a detector's per-tenant or per-service state, created by
 * {@link DetectorContext#serviceAttachment} or {@link DetectorContext#tenantAttachment} and read
 * with {@link ServiceScope#get(Attachment)} or {@link TenantScope#get(Attachment)}. The state is
 * created on first access and lives as long as its scope.
 *
 * @param <T> the state type
 */
public interface Attachment<T> {}
