package dev.bulklinks.entity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.bulklinks.entity.EntityRepository.Row;
import dev.bulklinks.entity.EntityRepository.SourceKey;
import dev.bulklinks.job.BatchHandler;
import dev.bulklinks.job.ItemOutcome;
import dev.bulklinks.job.ItemOutcome.Failed;
import dev.bulklinks.job.ChunkNotReady;
import dev.bulklinks.job.JobKind;
import dev.bulklinks.job.ChunkContext;
import dev.bulklinks.job.ChunkWork;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * Creates or updates a batch of entities with one query per kind of fact and one write per kind of
 * change. Single create and bulk import both come here.
 *
 * <p>Upsert: an item with an {@code id} updates that entity, or creates it; an item with only a
 * {@code source} + {@code sourceId} updates the entity holding that key, or creates one. A parent must
 * exist already or be an item of the same batch, before or after its children: the batch is written
 * parents first. In a job, a parent may be an item of any chunk: a chunk that misses a parent while
 * earlier chunks of its job are unfinished waits for them ({@link ChunkNotReady}), and once they are
 * done it defers the items whose parent is still missing ({@link ItemOutcome.Deferred}) to the job's
 * final pass, which writes them after every other chunk, parents first, and fails those whose parent
 * never came (404). An atomic job runs its chunks in order in one transaction, so there a parent must
 * come in the child's chunk or an earlier one.
 */
@ApplicationScoped
public class EntityBatch implements BatchHandler {

    private final EntityRepository entities;
    private final ObjectReader itemsReader;

    EntityBatch(EntityRepository entities, ObjectMapper json) {
        this.entities = entities;
        this.itemsReader = json.readerForListOf(EntityItem.class);
    }

    @Override
    public JobKind kind() {
        return JobKind.BULK_UPSERT_ENTITIES;
    }

    @Override
    public String dataType() {
        return "entities";
    }

    /** Entities reserve their sibling positions: a new entity takes the one of its index, so siblings keep the import's order. */
    @Override
    public Long reserve(int total) throws SQLException {
        return entities.reservePositions(total);
    }

    @Override
    public List<ItemOutcome> run(ChunkWork work, ChunkContext context, boolean write) throws SQLException {
        List<EntityItem> items = work.items(itemsReader);
        // An atomic job runs its chunks in order in one transaction, so it sees its earlier chunks already.
        // The count of unfinished earlier chunks comes first: once they are done, the entity lookup is skipped.
        if (context.earlierChunksPending() && missesAParent(work.project(), items)) {
            throw new ChunkNotReady("a parent may be an item of an earlier chunk that has not committed yet");
        }
        return run(work.project(), items, true, write, i -> position(work, i), !work.atomic());
    }

    @Override
    public List<ItemOutcome> runDeferred(ChunkWork work, List<Integer> positions, boolean last) throws SQLException {
        List<EntityItem> all = work.items(itemsReader);
        List<EntityItem> items = positions.stream().map(all::get).toList();
        return run(work.project(), items, true, true, i -> position(work, positions.get(i)), !last);
    }

    /** The sibling position the job reserved for the item at {@code i} of its chunk. */
    private static Long position(ChunkWork work, int i) {
        return work.positionBase() == null ? null : work.positionBase() + work.firstIndex() + i;
    }

    /** True when an item names a parent that is neither stored nor an item of the batch. */
    private boolean missesAParent(String project, List<EntityItem> items) throws SQLException {
        Set<UUID> parents = new HashSet<>();
        Set<UUID> own = new HashSet<>();
        for (EntityItem item : items) {
            addIfPresent(parents, EntityIds.parse(item.parent()));
            addIfPresent(own, EntityIds.parse(item.id()));
        }
        parents.removeAll(own);
        return !parents.isEmpty() && entities.types(project, parents).size() < parents.size();
    }

    /**
     * Answers one outcome per item. With {@code upsert} false an existing id or source key is a
     * conflict (409), as for a single create.
     */
    public List<ItemOutcome> run(String project, List<EntityItem> items, boolean upsert, boolean write)
            throws SQLException {
        return run(project, items, upsert, write, i -> null, false);
    }

    /**
     * As {@link #run(String, List, boolean, boolean)}; a new entity of a job takes the position its
     * job reserved for its index, {@code position.apply(i)}, so siblings keep the import's order. With
     * {@code defer} an item whose parent is missing is deferred rather than failed.
     */
    private List<ItemOutcome> run(String project, List<EntityItem> items, boolean upsert, boolean write,
            IntFunction<Long> position, boolean defer) throws SQLException {
        Set<UUID> ids = new HashSet<>();
        Set<SourceKey> keys = new HashSet<>();
        for (EntityItem item : items) {
            addIfPresent(ids, EntityIds.parse(item.id()));
            addIfPresent(ids, EntityIds.parse(item.parent()));
            if (item.source() != null && item.sourceId() != null) {
                keys.add(new SourceKey(item.source(), item.sourceId()));
            }
        }
        Map<SourceKey, UUID> keyOwners = new HashMap<>(entities.idsBySourceKey(project, keys));
        Set<UUID> stored = new HashSet<>(entities.types(project, ids).keySet());
        stored.addAll(keyOwners.values());

        Map<UUID, Integer> earlier = new HashMap<>();
        List<ItemOutcome> outcomes = new ArrayList<>(java.util.Collections.nCopies(items.size(), null));
        List<Row> creates = new ArrayList<>();
        List<Row> updates = new ArrayList<>();
        for (int i : parentsFirst(items)) {
            EntityItem item = items.get(i);
            Failed failure = EntityRules.check(item);
            UUID id = EntityIds.parse(item.id());
            SourceKey key = item.source() == null ? null : new SourceKey(item.source(), item.sourceId());
            UUID keyOwner = key == null ? null : keyOwners.get(key);
            if (failure == null) {
                if (id == null) {
                    id = keyOwner != null && upsert ? keyOwner : UUID.randomUUID();
                }
                failure = conflict(item, id, stored.contains(id), keyOwner, upsert, earlier.get(id));
            }
            UUID parent = EntityIds.parse(item.parent());
            if (failure == null && parent != null && !stored.contains(parent) && !earlier.containsKey(parent)) {
                if (defer) {
                    outcomes.set(i, ItemOutcome.DEFERRED);
                    continue;
                }
                failure = new Failed(404, "Parent entity " + parent + " not found.", List.of("parent: " + parent));
            }
            if (failure != null) {
                outcomes.set(i, failure);
                continue;
            }
            boolean update = stored.contains(id);
            Row row = new Row(id, item.type(), item.name(), parent, item.source(), item.sourceId(),
                    item.data() == null ? null : item.data().toString(),
                    position.apply(i));
            (update ? updates : creates).add(row);
            earlier.put(id, i);
            if (key != null) {
                keyOwners.put(key, id);
            }
            outcomes.set(i, update ? new ItemOutcome.Updated(id) : new ItemOutcome.Created(id));
        }
        if (write) {
            entities.insert(project, creates);
            entities.update(project, updates);
        }
        return outcomes;
    }

    /**
     * The item indexes in an order where an item that is the parent of another comes before it;
     * otherwise input order. Rows are inserted in this order, so a parent row precedes its children.
     */
    static List<Integer> parentsFirst(List<EntityItem> items) {
        Map<UUID, Integer> byId = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            UUID id = EntityIds.parse(items.get(i).id());
            if (id != null) {
                byId.putIfAbsent(id, i);
            }
        }
        List<Integer> order = new ArrayList<>(items.size());
        boolean[] placed = new boolean[items.size()];
        boolean[] visiting = new boolean[items.size()];
        for (int i = 0; i < items.size(); i++) {
            place(i, items, byId, placed, visiting, order);
        }
        return order;
    }

    /** Places item {@code i} after its parents in the batch; a cycle is broken where it is met. */
    private static void place(int i, List<EntityItem> items, Map<UUID, Integer> byId, boolean[] placed,
            boolean[] visiting, List<Integer> order) {
        // Walk up the chain of parents given in the batch, then place them from the top down.
        List<Integer> chain = new ArrayList<>();
        for (Integer at = i; at != null && !placed[at] && !visiting[at]; ) {
            visiting[at] = true;
            chain.add(at);
            UUID parent = EntityIds.parse(items.get(at).parent());
            at = parent == null ? null : byId.get(parent);
        }
        for (int k = chain.size() - 1; k >= 0; k--) {
            placed[chain.get(k)] = true;
            order.add(chain.get(k));
        }
    }

    private static Failed conflict(EntityItem item, UUID id, boolean exists, UUID keyOwner, boolean upsert,
            Integer earlierItem) {
        if (earlierItem != null) {
            return new Failed(409, "Entity " + id + " is also written by item " + earlierItem
                    + " of this batch; send each entity once.", List.of("id: " + id));
        }
        if (exists && !upsert) {
            return new Failed(409, "Entity id " + id + " is already taken.", List.of("id: " + id));
        }
        if (keyOwner != null && !keyOwner.equals(id)) {
            return new Failed(409, "source '" + item.source() + "' sourceId '" + item.sourceId()
                    + "' already belongs to entity " + keyOwner + ".", List.of("source", "sourceId"));
        }
        return null;
    }

    private static void addIfPresent(Set<UUID> set, UUID id) {
        if (id != null) {
            set.add(id);
        }
    }
}
