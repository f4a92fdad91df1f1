/** Audit events: who signed in, recorded, exported, deleted, kept, forgot, or changed a user, and when. */
package io.github.cctv.dashboard.domain.audit;
