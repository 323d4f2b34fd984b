package dev.bulklinks.entity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.bulklinks.entity.EntityRepository.Row;
import dev.bulklinks.entity.EntityRepository.SourceKey;
import dev.bulklinks.job.BatchHandler;
import dev.bulklinks.job.ItemOutcome;
import dev.bulklinks.job.ItemOutcome.Failed;
import dev.bulklinks.job.JobKind;
import dev.bulklinks.job.JobRepository.ChunkWork;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Creates or updates a batch of entities with one query per kind of fact and one write per kind of
 * change. Single create and bulk import both come here.
 *
 * <p>Upsert: an item with an {@code id} updates that entity, or creates it; an item with only a
 * {@code source} + {@code sourceId} updates the entity holding that key, or creates one. A parent must
 * exist already or be an earlier item of the same batch.
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
    public List<ItemOutcome> run(ChunkWork work, boolean write) throws SQLException {
        return run(work.project(), work.items(itemsReader), true, write);
    }

    /**
     * Answers one outcome per item. With {@code upsert} false an existing id or source key is a
     * conflict (409), as for a single create.
     */
    public List<ItemOutcome> run(String project, List<EntityItem> items, boolean upsert, boolean write)
            throws SQLException {
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
        List<ItemOutcome> outcomes = new ArrayList<>(items.size());
        List<Row> creates = new ArrayList<>();
        List<Row> updates = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
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
                failure = new Failed(404, "Parent entity " + parent + " not found.", List.of("parent: " + parent));
            }
            if (failure != null) {
                outcomes.add(failure);
                continue;
            }
            boolean update = stored.contains(id);
            Row row = new Row(id, item.type(), item.name(), parent, item.source(), item.sourceId(),
                    item.data() == null ? null : item.data().toString());
            (update ? updates : creates).add(row);
            earlier.put(id, i);
            if (key != null) {
                keyOwners.put(key, id);
            }
            outcomes.add(update ? new ItemOutcome.Updated(id) : new ItemOutcome.Created(id));
        }
        if (write) {
            entities.insert(project, creates);
            entities.update(project, updates);
        }
        return outcomes;
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
