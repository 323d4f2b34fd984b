package dev.bulklinks.link;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.bulklinks.entity.EntityIds;
import dev.bulklinks.job.BatchHandler;
import dev.bulklinks.job.ItemOutcome;
import dev.bulklinks.job.ItemOutcome.Failed;
import dev.bulklinks.job.JobKind;
import dev.bulklinks.job.JobRepository.ChunkWork;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Deletes a chunk of links by id with one statement; an id that names no link fails its item with 404. */
@ApplicationScoped
public class LinkDeleteBatch implements BatchHandler {

    private final LinkRepository links;
    private final ObjectReader itemsReader;

    LinkDeleteBatch(LinkRepository links, ObjectMapper json) {
        this.links = links;
        this.itemsReader = json.readerForListOf(String.class);
    }

    @Override
    public JobKind kind() {
        return JobKind.BULK_DELETE_LINKS;
    }

    @Override
    public List<ItemOutcome> run(ChunkWork work, boolean write) throws SQLException {
        List<String> items = work.items(itemsReader);
        List<ItemOutcome> outcomes = new ArrayList<>(items.size());
        Map<UUID, Integer> first = new HashMap<>();
        Set<UUID> ids = new LinkedHashSet<>();
        for (int i = 0; i < items.size(); i++) {
            UUID id = EntityIds.parse(items.get(i));
            if (id == null) {
                outcomes.add(new Failed(400, EntityIds.expected("ids[" + (work.firstIndex() + i) + "]", items.get(i))));
            } else if (first.containsKey(id)) {
                outcomes.add(new Failed(409, "Link " + id + " is also named by item " + (work.firstIndex() + first.get(id))
                        + ", which deletes it.", List.of("id: " + id)));
            } else {
                first.put(id, i);
                ids.add(id);
                outcomes.add(null);
            }
        }
        Set<UUID> found = write ? links.delete(work.project(), ids) : links.taken(work.project(), ids);
        for (UUID id : ids) {
            outcomes.set(first.get(id), found.contains(id) ? new ItemOutcome.Deleted(id)
                    : new Failed(404, "Link " + id + " not found.", List.of("id: " + id)));
        }
        return outcomes;
    }
}
