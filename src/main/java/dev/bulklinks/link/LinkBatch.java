package dev.bulklinks.link;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.bulklinks.entity.EntityRepository;
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
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Creates a batch of links: one query each for the entities, the link types and the ids the batch
 * mentions, {@link LinkRules} on every item, then one INSERT for all the valid ones. A single
 * {@code POST .../links} is a batch of one.
 */
@ApplicationScoped
public class LinkBatch implements BatchHandler {

    private final EntityRepository entities;
    private final LinkRepository links;
    private final ObjectReader itemsReader;

    LinkBatch(EntityRepository entities, LinkRepository links, ObjectMapper json) {
        this.entities = entities;
        this.links = links;
        this.itemsReader = json.readerForListOf(LinkItem.class);
    }

    @Override
    public JobKind kind() {
        return JobKind.BULK_UPSERT_LINKS;
    }

    @Override
    public List<ItemOutcome> run(ChunkWork work, boolean write) throws SQLException {
        return run(work.project(), work.items(itemsReader), work.submittedBy(), work.job(), work.firstIndex(), write);
    }

    /**
     * Answers one outcome per item, in order.
     *
     * @param job the job writing the links, recorded on each; null for a single create
     * @param firstIndex the job index of the first item
     */
    public List<ItemOutcome> run(String project, List<LinkItem> items, String author, UUID job, int firstIndex,
            boolean write) throws SQLException {
        Map<String, Optional<LinkRules.TypeParts>> typeParts = new HashMap<>();
        List<LinkRules.Parsed> parsed = new ArrayList<>(items.size());
        Set<UUID> entityIds = new HashSet<>(items.size() * 3);
        Set<UUID> linkIds = new HashSet<>();
        for (LinkItem item : items) {
            LinkRules.Parsed link = LinkRules.parse(item,
                    type -> typeParts.computeIfAbsent(type, t -> Optional.ofNullable(LinkRules.parts(t))).orElse(null));
            parsed.add(link);
            addIfPresent(entityIds, link.input());
            addIfPresent(entityIds, link.output());
            addIfPresent(linkIds, link.id());
        }
        BatchFacts facts = new BatchFacts(entities.types(project, entityIds),
                links.registered(project, typeParts.keySet()), links.taken(project, linkIds));

        List<ItemOutcome> outcomes = new ArrayList<>(items.size());
        List<LinkRepository.Row> rows = new ArrayList<>(items.size());
        Map<UUID, Integer> earlier = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            LinkRules.Parsed link = parsed.get(i);
            UUID given = link.id();
            Failed failure = given != null && earlier.containsKey(given)
                    ? new Failed(409, "Link id " + given + " is also given to item " + (firstIndex + earlier.get(given))
                            + "; a link id can be used once.", List.of("id: " + given))
                    : LinkRules.check(link, facts);
            if (failure != null) {
                outcomes.add(failure);
                continue;
            }
            LinkItem item = link.item();
            UUID id = given == null ? UUID.randomUUID() : given;
            earlier.put(id, i);
            rows.add(new LinkRepository.Row(id, item.linkType(), link.input(), link.output(), item.name(),
                    item.data() == null ? null : item.data().toString(), item.position() == null ? 0 : item.position(),
                    job == null ? null : firstIndex + i));
            outcomes.add(new ItemOutcome.Created(id));
        }
        if (write && !rows.isEmpty()) {
            Set<UUID> inserted = links.insert(project, rows, author, job);
            if (inserted.size() < rows.size()) {
                outcomes.replaceAll(o -> o instanceof ItemOutcome.Created c && !inserted.contains(c.id())
                        ? new Failed(409, "Link id " + c.id() + " is already taken.", List.of("id: " + c.id()))
                        : o);
            }
        }
        return outcomes;
    }

    private static void addIfPresent(Set<UUID> set, UUID id) {
        if (id != null) {
            set.add(id);
        }
    }

    /** The facts of one batch, loaded set-wise before any item is checked. */
    private record BatchFacts(Map<UUID, String> entityTypes, Set<String> registeredTypes, Set<UUID> takenIds)
            implements LinkRules.Facts {

        @Override
        public String entityType(UUID id) {
            return entityTypes.get(id);
        }

        @Override
        public boolean registered(String linkType) {
            return registeredTypes.contains(linkType);
        }

        @Override
        public boolean idTaken(UUID id) {
            return takenIds.contains(id);
        }

        @Override
        public boolean allowed(String linkType) {
            return true;
        }
    }
}
