package dev.bulklinks.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.bulklinks.entity.EntityRepository;
import dev.bulklinks.entity.EntityRepository.SourceKey;
import dev.bulklinks.entity.EntityTypes;
import dev.bulklinks.job.BatchHandler;
import dev.bulklinks.job.ItemOutcome;
import dev.bulklinks.job.ItemOutcome.Failed;
import dev.bulklinks.job.JobKind;
import dev.bulklinks.job.ChunkContext;
import dev.bulklinks.job.ChunkWork;
import dev.bulklinks.job.Submitter;
import dev.bulklinks.link.LinkRepository.Ends;
import dev.bulklinks.link.LinkRepository.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Writes a batch of links: one query each for the entities (by id or by source key), the link
 * types and the links the batch names, {@link LinkRules} on every item, then one INSERT for the new
 * links and, in upsert mode, one UPDATE for the existing ones. A single {@code POST .../links} is a
 * batch of one.
 */
@ApplicationScoped
public class LinkBatch implements BatchHandler {

    private final EntityRepository entities;
    private final EntityTypes entityTypes;
    private final LinkRepository links;
    private final ObjectReader itemsReader;

    LinkBatch(EntityRepository entities, EntityTypes entityTypes, LinkRepository links, ObjectMapper json) {
        this.entities = entities;
        this.entityTypes = entityTypes;
        this.links = links;
        this.itemsReader = json.readerForListOf(LinkItem.class);
    }

    /**
     * How a batch writes: {@code upsert} updates the link an item names (by id, or else by its ends
     * and type) instead of refusing it; {@code bySourceKey} lets items name entities by source key.
     */
    public record Options(boolean upsert, boolean bySourceKey) {
        public static final Options CREATE = new Options(false, false);

        /** The options stored with a job: {@code mode} and {@code lookupKey}. */
        static Options of(JsonNode job) {
            return new Options(job.path("mode").asText("create").equals("upsert"),
                    job.path("lookupKey").asText("id").equals("sourceId"));
        }
    }

    @Override
    public JobKind kind() {
        return JobKind.BULK_UPSERT_LINKS;
    }

    @Override
    public String dataType() {
        return "links";
    }

    @Override
    public List<ItemOutcome> run(ChunkWork work, ChunkContext context, boolean write) throws SQLException {
        return run(work.project(), work.items(itemsReader), Options.of(work.options()), work.submitter(), work.job(),
                work.firstIndex(), write);
    }

    /**
     * Answers one outcome per item, in order.
     *
     * @param submitter who writes the links: their author, and the link types they may create
     * @param job the job writing the links, recorded on each; null for a single create
     * @param firstIndex the job index of the first item
     */
    public List<ItemOutcome> run(String project, List<LinkItem> items, Options options, Submitter submitter, UUID job,
            int firstIndex, boolean write) throws SQLException {
        List<LinkRules.Parsed> parsed = parse(project, items, options);
        // A list, repeats and all: the type lookup takes each id once anyway, and a set cost a hash insert an id.
        List<UUID> entityIds = new ArrayList<>(items.size() * 2);
        Set<UUID> linkIds = new HashSet<>();
        Set<String> types = new HashSet<>();
        for (LinkRules.Parsed link : parsed) {
            addIfPresent(entityIds, link.input());
            addIfPresent(entityIds, link.output());
            addIfPresent(linkIds, link.id());
            if (link.item().linkType() != null) {
                types.add(link.item().linkType());
            }
        }
        Set<UUID> existing = links.taken(project, linkIds);
        BatchFacts facts = new BatchFacts(entityTypes.of(project, entityIds), links.registered(project, types),
                options.upsert() ? Set.of() : existing, submitter);

        List<ItemOutcome> outcomes = new ArrayList<>(items.size());
        List<Integer> valid = new ArrayList<>(items.size());
        Map<UUID, Integer> earlier = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            LinkRules.Parsed link = parsed.get(i);
            UUID given = link.id();
            Failed failure = !options.upsert() && given != null && earlier.containsKey(given)
                    ? new Failed(409, "Link id " + given + " is also given to item " + (firstIndex + earlier.get(given))
                            + "; a link id can be used once.", List.of("id: " + given))
                    : LinkRules.check(link, facts);
            outcomes.add(failure);
            if (failure == null) {
                valid.add(i);
                if (given != null) {
                    earlier.putIfAbsent(given, i);
                }
            }
        }
        Map<Ends, UUID> byEnds = new HashMap<>();
        if (options.upsert()) {
            byEnds.putAll(links.idsByEnds(project, endsWithoutId(parsed, valid)));
            existing.addAll(byEnds.values());
        }

        // The row each link ends with: a later item of the batch naming the same link wins.
        Map<UUID, Row> rows = new LinkedHashMap<>();
        Set<UUID> generated = new HashSet<>();
        for (int i : valid) {
            LinkRules.Parsed link = parsed.get(i);
            LinkItem item = link.item();
            UUID id = link.id();
            if (id == null && options.upsert()) {
                Ends ends = new Ends(link.input(), link.output(), item.linkType());
                id = byEnds.get(ends);
                if (id == null) {
                    id = LinkIds.next();
                    generated.add(id);
                    byEnds.put(ends, id);
                }
            } else if (id == null) {
                id = LinkIds.next();
                generated.add(id);
            }
            boolean update = existing.contains(id) || rows.containsKey(id);
            rows.put(id, new Row(id, item.linkType(), link.input(), link.output(), item.name(), link.data(), item.position(),
                    job == null ? null : firstIndex + i));
            outcomes.set(i, update ? new ItemOutcome.Updated(id) : new ItemOutcome.Created(id));
        }
        if (write && !rows.isEmpty()) {
            write(project, rows, existing, generated, submitter.name(), job, outcomes);
        }
        return outcomes;
    }

    /** Reads every item; with source keys, finds all the entities they name with one query. */
    private List<LinkRules.Parsed> parse(String project, List<LinkItem> items, Options options) throws SQLException {
        Map<SourceKey, UUID> keys = Map.of();
        if (options.bySourceKey()) {
            Set<SourceKey> wanted = new HashSet<>();
            for (LinkItem item : items) {
                for (EntityRef ref : new EntityRef[] {item.input(), item.output()}) {
                    if (ref != null && ref.isKey()) {
                        wanted.add(ref.key());
                    }
                }
            }
            keys = entities.idsBySourceKey(project, wanted);
        }
        Map<String, Optional<LinkRules.TypeParts>> typeParts = new HashMap<>();
        List<LinkRules.Parsed> parsed = new ArrayList<>(items.size());
        for (LinkItem item : items) {
            parsed.add(LinkRules.parse(item,
                    type -> typeParts.computeIfAbsent(type, t -> Optional.ofNullable(LinkRules.parts(t))).orElse(null),
                    options.bySourceKey(), keys::get));
        }
        return parsed;
    }

    /**
     * Inserts the new links and updates the existing ones; an item whose write did not happen fails.
     * Links with ids the batch {@code generated} cannot collide, so they go in without the conflict
     * check a caller's id needs.
     */
    private void write(String project, Map<UUID, Row> rows, Set<UUID> existing, Set<UUID> generated, String author,
            UUID job, List<ItemOutcome> outcomes) throws SQLException {
        List<Row> inserts = new ArrayList<>();
        List<Row> fresh = new ArrayList<>();
        List<Row> updates = new ArrayList<>();
        for (Row row : rows.values()) {
            (existing.contains(row.id()) ? updates : generated.contains(row.id()) ? fresh : inserts).add(row);
        }
        Set<UUID> written = new HashSet<>(links.insert(project, inserts, author, job));
        links.insertFresh(project, fresh, author, job);
        fresh.forEach(row -> written.add(row.id()));
        written.addAll(links.update(project, updates, job));
        if (written.size() < rows.size()) {
            outcomes.replaceAll(o -> {
                UUID id = o instanceof ItemOutcome.Created c ? c.id() : o instanceof ItemOutcome.Updated u ? u.id() : null;
                if (id == null || written.contains(id)) {
                    return o;
                }
                return o instanceof ItemOutcome.Created
                        ? new Failed(409, "Link id " + id + " is already taken.", List.of("id: " + id))
                        : new Failed(404, "Link " + id + " was deleted while this item ran.", List.of("id: " + id));
            });
        }
    }

    private static Set<Ends> endsWithoutId(List<LinkRules.Parsed> parsed, List<Integer> valid) {
        Set<Ends> ends = new HashSet<>();
        for (int i : valid) {
            LinkRules.Parsed link = parsed.get(i);
            if (link.id() == null) {
                ends.add(new Ends(link.input(), link.output(), link.item().linkType()));
            }
        }
        return ends;
    }

    private static void addIfPresent(Collection<UUID> ids, UUID id) {
        if (id != null) {
            ids.add(id);
        }
    }

    /** The facts of one batch, loaded set-wise before any item is checked. */
    private record BatchFacts(Map<UUID, String> entityTypes, Set<String> registeredTypes, Set<UUID> takenIds,
            Submitter submitter) implements LinkRules.Facts {

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
            return submitter.mayUse(linkType);
        }
    }
}
