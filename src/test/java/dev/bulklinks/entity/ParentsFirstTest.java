package dev.bulklinks.entity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The order a batch of entities is written in: parents before their children, else input order. */
class ParentsFirstTest {

    private static EntityItem item(String id, String parent) {
        return new EntityItem(id, "folder", "x", parent, null, null, null);
    }

    @Test
    void parentsGivenAfterTheirChildrenComeFirst() {
        String root = UUID.randomUUID().toString();
        String mid = UUID.randomUUID().toString();
        List<EntityItem> items = List.of(
                item(null, mid),           // 0: grandchild
                item(mid, root),           // 1: child
                item(null, null),          // 2: unrelated
                item(root, null),          // 3: root
                item(null, UUID.randomUUID().toString())); // 4: parent outside the batch

        assertThat(EntityBatch.parentsFirst(items)).containsExactly(3, 1, 0, 2, 4);
    }

    @Test
    void inputOrderWhenNoParentIsInTheBatch() {
        List<EntityItem> items = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            items.add(item(UUID.randomUUID().toString(), null));
        }
        assertThat(EntityBatch.parentsFirst(items)).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void aCycleDoesNotLoopForever() {
        String x = UUID.randomUUID().toString();
        String y = UUID.randomUUID().toString();
        assertThat(EntityBatch.parentsFirst(List.of(item(x, y), item(y, x)))).containsExactlyInAnyOrder(0, 1);
    }
}
