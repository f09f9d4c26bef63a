/**
 * Internals of the Spring Boot starter. Not part of the public API; may change in any release.
 */
package io.batanomaly.spring.boot.internal;
