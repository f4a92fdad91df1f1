/** The recorders whose recordings the dashboard lists and plays: one, or every member of a cluster. */
package io.github.cctv.dashboard.domain.recorders;
