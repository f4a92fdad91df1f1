package io.github.cctv.dashboard.domain.groups;

import io.github.cctv.dashboard.domain.groups.CameraGroup.InvalidGroupException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CameraGroupTest {

    @Test
    void defaultsAreAutomaticColumnsByNameAndNoMembers() {
        CameraGroup g = new CameraGroup("outside", " Outside ", null, 0, null);
        assertThat(g.name()).isEqualTo("Outside");
        assertThat(g.cameras()).isEmpty();
        assertThat(g.order()).isEqualTo(CameraGroup.BY_NAME);
    }

    @Test
    void membersAreCopiedSoTheGroupCannotChangeUnderneath() {
        List<String> members = new ArrayList<>(List.of("a", "b"));
        CameraGroup g = new CameraGroup("g", "G", members, 8, CameraGroup.LISTED);
        members.add("c");
        assertThat(g.cameras()).containsExactly("a", "b");
    }

    @Test
    void refusesWhatThePageCouldNotShowOrASubjectCouldNotCarry() {
        assertThatThrownBy(() -> new CameraGroup("a/b", "G", List.of(), 0, null))
                .isInstanceOf(InvalidGroupException.class).hasMessageContaining("group id");
        assertThatThrownBy(() -> new CameraGroup("..", "G", List.of(), 0, null)).isInstanceOf(InvalidGroupException.class);
        assertThatThrownBy(() -> new CameraGroup("g", "   ", List.of(), 0, null)).hasMessageContaining("needs a name");
        assertThatThrownBy(() -> new CameraGroup("g", "tab\there", List.of(), 0, null))
                .hasMessageContaining("control characters");
        assertThatThrownBy(() -> new CameraGroup("g", "G", List.of("ok", "no*"), 0, null)).hasMessageContaining("member");
        assertThatThrownBy(() -> new CameraGroup("g", "G", List.of("x", "x"), 0, null)).hasMessageContaining("twice");
        assertThatThrownBy(() -> new CameraGroup("g", "G", Arrays.asList("x", null), 0, null)).hasMessageContaining("member");
        assertThatThrownBy(() -> new CameraGroup("g", "G", List.of(), 9, null)).hasMessageContaining("columns");
        assertThatThrownBy(() -> new CameraGroup("g", "G", List.of(), 0, "size")).hasMessageContaining("order");
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= CameraGroup.MAX_CAMERAS; i++) {
            many.add("c" + i);
        }
        assertThatThrownBy(() -> new CameraGroup("g", "G", many, 0, null)).hasMessageContaining("at most 500");
    }
}
