/**
 * Who is calling: users and their roles (HTTP Basic authentication against the users file), and where an
 * arriving object came from ({@link org.dpacs.server.access.Origin}).
 */
package org.dpacs.server.access;
