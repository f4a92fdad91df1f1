/**
 * Camera groups of the live page ("Shop floor", "Outside") and the grid layout saved with each, shared by every
 * browser through a {@link io.github.cctv.dashboard.domain.groups.GroupStore}.
 */
package io.github.cctv.dashboard.domain.groups;
