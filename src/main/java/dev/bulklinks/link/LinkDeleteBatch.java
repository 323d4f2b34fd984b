package dev.bulklinks.link;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.bulklinks.entity.EntityIds;
import dev.bulklinks.job.BatchHandler;
import dev.bulklinks.job.ItemOutcome;
import dev.bulklinks.job.ItemOutcome.Failed;
import dev.bulklinks.job.JobKind;
import dev.bulklinks.job.ChunkContext;
import dev.bulklinks.job.ChunkWork;
import dev.bulklinks.job.Submitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Deletes a chunk of links by id with one statement: an id that names no link fails its item with 404,
 * a link whose type is not on the submitter's allow-list with 403, as creating it would. A single
 * {@code DELETE .../links/{id}} is a batch of one.
 */
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
    public String dataType() {
        return "links";
    }

    @Override
    public List<ItemOutcome> run(ChunkWork work, ChunkContext context, boolean write) throws SQLException {
        return run(work.project(), work.items(itemsReader), work.submitter(), work.firstIndex(), write);
    }

    /**
     * Answers one outcome per id, in order.
     *
     * @param submitter who deletes: the link types whose links it may delete (those it may create)
     * @param firstIndex the job index of the first id
     */
    public List<ItemOutcome> run(String project, List<String> items, Submitter submitter, int firstIndex, boolean write)
            throws SQLException {
        List<ItemOutcome> outcomes = new ArrayList<>(items.size());
        Map<UUID, Integer> first = new HashMap<>();
        Set<UUID> ids = new LinkedHashSet<>();
        for (int i = 0; i < items.size(); i++) {
            UUID id = EntityIds.parse(items.get(i));
            if (id == null) {
                outcomes.add(new Failed(400, EntityIds.expected("ids[" + (firstIndex + i) + "]", items.get(i))));
            } else if (first.containsKey(id)) {
                outcomes.add(new Failed(409, "Link " + id + " is also named by item " + (firstIndex + first.get(id))
                        + ", which deletes it.", List.of("id: " + id)));
            } else {
                first.put(id, i);
                ids.add(id);
                outcomes.add(null);
            }
        }
        Map<UUID, LinkRepository.Named> found = links.delete(project, ids, submitter.linkTypes(), write);
        for (UUID id : ids) {
            LinkRepository.Named link = found.get(id);
            ItemOutcome outcome;
            if (link == null) {
                outcome = new Failed(404, "Link " + id + " not found.", List.of("id: " + id));
            } else if (!submitter.mayUse(link.linkType())) {
                outcome = LinkRules.notAllowed("delete", link.linkType());
            } else if (write && !link.deleted()) {
                // Its type changed to one not allowed, or another transaction deleted it, since the lookup.
                outcome = new Failed(404, "Link " + id + " was changed or deleted while this item ran.",
                        List.of("id: " + id));
            } else {
                outcome = new ItemOutcome.Deleted(id);
            }
            outcomes.set(first.get(id), outcome);
        }
        return outcomes;
    }
}
