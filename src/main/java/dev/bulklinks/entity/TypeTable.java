package dev.bulklinks.entity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Entity types by project, version of the project's types, and entity id, in one flat array: an
 * open-addressing hash table of four longs a slot (the id's two halves, the project's key and version,
 * and the index of the type's name in a short list, plus one). A slot is 32 bytes, so a lookup reads
 * one cache line where a map of objects follows four pointers; at 2,000 lookups a chunk over a table
 * too big for the processor's caches, that was a quarter of a worker's time (JFR, 2026-12-01, with
 * Caffeine's map of records), and the type in an array of its own beside the keys was one more line
 * and 16 % of it.
 *
 * <p>It holds at most {@code maxEntries} types; one more empties it and it fills again from the
 * database (types of a stale version are left to that). Thread-safe: every method holds the table's
 * lock, once for a whole batch.
 */
final class TypeTable {

    private static final int FIRST_SLOTS = 1 << 12;
    private static final int LONGS = 4;
    /** Where in a slot the type is: the index of its name plus one; 0 marks an empty slot. */
    private static final int TYPE = 3;

    private final int maxEntries;
    private long[] slots;
    private final List<String> names = new ArrayList<>();
    private final Map<String, Short> nameIndex = new HashMap<>();
    private int size;

    TypeTable(int maxEntries) {
        this.maxEntries = maxEntries;
        clear();
    }

    /** The scope of a project's types at one version: the project's key and the version's low 32 bits. */
    static long scope(int project, long version) {
        return ((long) project << 32) | (version & 0xffffffffL);
    }

    /** Puts the known types of {@code ids} in {@code found}, and the others in {@code unknown}. */
    synchronized void find(long scope, Collection<UUID> ids, Map<UUID, String> found, List<UUID> unknown) {
        for (UUID id : ids) {
            int at = locate(id.getMostSignificantBits(), id.getLeastSignificantBits(), scope);
            if (slots[at + TYPE] != 0) {
                found.put(id, names.get((int) slots[at + TYPE] - 1));
            } else {
                unknown.add(id);
            }
        }
    }

    /** Keeps {@code found}'s types under {@code scope}. */
    synchronized void putAll(long scope, Map<UUID, String> found) {
        for (Map.Entry<UUID, String> entry : found.entrySet()) {
            if (size >= maxEntries || (!nameIndex.containsKey(entry.getValue()) && names.size() == Short.MAX_VALUE)) {
                clear();
                if (maxEntries == 0) {
                    return;
                }
            }
            short type = nameIndex.computeIfAbsent(entry.getValue(), name -> {
                names.add(name);
                return (short) names.size();
            });
            if (insert(entry.getKey().getMostSignificantBits(), entry.getKey().getLeastSignificantBits(), scope, type)) {
                size++;
                if (size * 2 > capacity()) {
                    grow();
                }
            }
        }
    }

    /** Entries held. */
    synchronized int size() {
        return size;
    }

    private int capacity() {
        return slots.length / LONGS;
    }

    /**
     * Where the key's slot starts in {@link #slots}: the slot holding it, or else the empty slot its
     * probe ends at (its type 0), where it goes.
     */
    private int locate(long high, long low, long scope) {
        int at = (hash(high, low, scope) & (capacity() - 1)) * LONGS;
        while (slots[at + TYPE] != 0 && !(slots[at] == high && slots[at + 1] == low && slots[at + 2] == scope)) {
            at = (at + LONGS) & (slots.length - 1);
        }
        return at;
    }

    /** Puts one entry; answers whether it is new (else its type is replaced). */
    private boolean insert(long high, long low, long scope, long type) {
        int at = locate(high, low, scope);
        boolean added = slots[at + TYPE] == 0;
        slots[at] = high;
        slots[at + 1] = low;
        slots[at + 2] = scope;
        slots[at + TYPE] = type;
        return added;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        for (int at = 0; at < old.length; at += LONGS) {
            if (old[at + TYPE] != 0) {
                insert(old[at], old[at + 1], old[at + 2], old[at + TYPE]);
            }
        }
    }

    private void clear() {
        slots = new long[FIRST_SLOTS * LONGS];
        names.clear();
        nameIndex.clear();
        size = 0;
    }

    /** Mixes the key's bits (the finalizer of MurmurHash3's 64-bit variant) so that nearby ids spread. */
    private static int hash(long high, long low, long scope) {
        long h = high ^ Long.rotateLeft(low, 21) ^ Long.rotateLeft(scope, 42);
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h;
    }
}
