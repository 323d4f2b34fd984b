package dev.bulklinks.entity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Entity types by project, version of the project's types, and entity id, in flat arrays: an open-
 * addressing hash table whose keys sit in one {@code long[]} (three longs a slot: the id's two halves,
 * then the project's key and version) and whose values are indexes into a short list of type names.
 * A lookup touches one or two cache lines where a map of objects follows four pointers; at 2,000
 * lookups a chunk over a table too big for the processor's caches, that was a quarter of a worker's
 * time (JFR, 2026-12-01, with Caffeine's map of records).
 *
 * <p>It holds at most {@code maxEntries} types; one more empties it and it fills again from the
 * database (types of a stale version are left to that). Thread-safe: every method holds the table's
 * lock, once for a whole batch.
 */
final class TypeTable {

    private static final int FIRST_SLOTS = 1 << 12;
    private static final int LONGS = 3;

    private final int maxEntries;
    private long[] keys;
    /** Index of the type's name plus one; 0 marks an empty slot. */
    private short[] types;
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
        int mask = types.length - 1;
        for (UUID id : ids) {
            long high = id.getMostSignificantBits();
            long low = id.getLeastSignificantBits();
            String type = null;
            for (int slot = hash(high, low, scope) & mask; types[slot] != 0; slot = (slot + 1) & mask) {
                int at = slot * LONGS;
                if (keys[at] == high && keys[at + 1] == low && keys[at + 2] == scope) {
                    type = names.get(types[slot] - 1);
                    break;
                }
            }
            if (type != null) {
                found.put(id, type);
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
                if (size * 2 > types.length) {
                    grow();
                }
            }
        }
    }

    /** Entries held. */
    synchronized int size() {
        return size;
    }

    /** Puts one entry; answers whether it is new (else its type is replaced). */
    private boolean insert(long high, long low, long scope, short type) {
        int mask = types.length - 1;
        int slot = hash(high, low, scope) & mask;
        for (; types[slot] != 0; slot = (slot + 1) & mask) {
            int at = slot * LONGS;
            if (keys[at] == high && keys[at + 1] == low && keys[at + 2] == scope) {
                types[slot] = type;
                return false;
            }
        }
        int at = slot * LONGS;
        keys[at] = high;
        keys[at + 1] = low;
        keys[at + 2] = scope;
        types[slot] = type;
        return true;
    }

    private void grow() {
        long[] oldKeys = keys;
        short[] oldTypes = types;
        keys = new long[oldKeys.length * 2];
        types = new short[oldTypes.length * 2];
        for (int slot = 0; slot < oldTypes.length; slot++) {
            if (oldTypes[slot] != 0) {
                int at = slot * LONGS;
                insert(oldKeys[at], oldKeys[at + 1], oldKeys[at + 2], oldTypes[slot]);
            }
        }
    }

    private void clear() {
        keys = new long[FIRST_SLOTS * LONGS];
        types = new short[FIRST_SLOTS];
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
