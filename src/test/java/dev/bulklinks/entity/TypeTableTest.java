package dev.bulklinks.entity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TypeTableTest {

    private static final long SCOPE = TypeTable.scope(7, 0);

    @Test
    void answersWhatWasPutUnderTheSameScopeOnly() {
        TypeTable table = new TypeTable(1000);
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        table.putAll(SCOPE, Map.of(a, "folder", b, "task"));

        Lookup same = find(table, SCOPE, List.of(a, b, UUID.randomUUID()));
        assertThat(same.found).isEqualTo(Map.of(a, "folder", b, "task"));
        assertThat(same.unknown).hasSize(1);
        assertThat(find(table, TypeTable.scope(7, 1), List.of(a)).unknown).as("a later version").containsExactly(a);
        assertThat(find(table, TypeTable.scope(8, 0), List.of(a)).unknown).as("another project").containsExactly(a);
    }

    @Test
    void growsPastItsFirstSizeAndKeepsEveryEntry() {
        TypeTable table = new TypeTable(50_000);
        Map<UUID, String> put = new HashMap<>();
        for (int i = 0; i < 40_000; i++) {
            put.put(new UUID(i, i), "type" + (i % 300));
        }
        table.putAll(SCOPE, put);
        assertThat(table.size()).isEqualTo(40_000);
        assertThat(find(table, SCOPE, new ArrayList<>(put.keySet())).found).isEqualTo(put);
    }

    @Test
    void emptiesItselfWhenFullAndHoldsNothingAtSizeZero() {
        TypeTable table = new TypeTable(3);
        UUID first = UUID.randomUUID();
        table.putAll(SCOPE, Map.of(first, "folder"));
        for (int i = 0; i < 3; i++) {
            table.putAll(SCOPE, Map.of(UUID.randomUUID(), "folder"));
        }
        assertThat(table.size()).isEqualTo(1);
        assertThat(find(table, SCOPE, List.of(first)).unknown).containsExactly(first);

        TypeTable none = new TypeTable(0);
        none.putAll(SCOPE, Map.of(first, "folder"));
        assertThat(none.size()).isZero();
        assertThat(find(none, SCOPE, List.of(first)).unknown).containsExactly(first);
    }

    @Test
    void aTypeChangedUnderTheSameScopeReplacesTheOld() {
        TypeTable table = new TypeTable(10);
        UUID a = UUID.randomUUID();
        table.putAll(SCOPE, Map.of(a, "folder"));
        table.putAll(SCOPE, Map.of(a, "asset"));
        assertThat(table.size()).isEqualTo(1);
        assertThat(find(table, SCOPE, List.of(a)).found).isEqualTo(Map.of(a, "asset"));
    }

    private record Lookup(Map<UUID, String> found, List<UUID> unknown) {
    }

    private static Lookup find(TypeTable table, long scope, List<UUID> ids) {
        Lookup lookup = new Lookup(new HashMap<>(), new ArrayList<>());
        table.find(scope, ids, lookup.found, lookup.unknown);
        return lookup;
    }
}
