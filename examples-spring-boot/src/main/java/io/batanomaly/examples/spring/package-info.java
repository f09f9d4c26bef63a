/**
 * A Spring Boot application with the batanomaly starter, behind Spring Security. Not deployed.
 */
package io.batanomaly.examples.spring;
