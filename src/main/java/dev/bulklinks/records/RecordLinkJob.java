package dev.bulklinks.records;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.bulklinks.api.ApiError;
import dev.bulklinks.entity.EntityTypes;
import dev.bulklinks.job.BatchHandler;
import dev.bulklinks.job.ItemOutcome;
import dev.bulklinks.job.JobKind;
import dev.bulklinks.job.JobRejection;
import dev.bulklinks.job.ChunkContext;
import dev.bulklinks.job.ChunkWork;
import dev.bulklinks.job.Submitter;
import dev.bulklinks.link.EntityRef;
import dev.bulklinks.link.LinkBatch;
import dev.bulklinks.link.LinkItem;
import dev.bulklinks.link.LinkRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Runs a Unicat bulk link. The job is stored as one item, the request; when it runs, the selection
 * is expanded against the database, the job grows to one item per selected record, and the links
 * go through {@link LinkBatch} like any other: same checks, one outcome per record, in order.
 *
 * <p>A request stored with a bare link type name (the project's default, for a client that sent no
 * linkType, as Unicat's does) gives each link the type {@code name|<parent's type>|<record's type>},
 * registered in the project in the job's transaction if it is not yet. A link type is
 * {@code name|input_type|output_type} and every check of a link holds its ends to those types, so no
 * one type could link records of any types; a type per pair of entity types keeps that rule whole,
 * and the links stay listed, filtered and deleted by type as any other. A record whose entity does
 * not exist gets the placeholder type {@value #UNKNOWN}, never registered: its item fails with 404.
 */
@ApplicationScoped
public class RecordLinkJob implements BatchHandler {

    /**
     * Most records one selection may expand to: the job runs as one transaction and keeps one outcome
     * per record in memory until it commits.
     */
    static final int MAX_RECORDS = 100_000;
    /** Links checked and written per statement round. */
    private static final int SLICE = 5_000;
    /** The entity type written into a link type for an end that does not exist. */
    static final String UNKNOWN = "unknown";

    private final SelectionRepository selections;
    private final LinkRepository links;
    private final EntityTypes entities;
    private final LinkBatch batch;
    private final ObjectReader requestReader;

    RecordLinkJob(SelectionRepository selections, LinkRepository links, EntityTypes entities, LinkBatch batch,
            ObjectMapper json) {
        this.selections = selections;
        this.links = links;
        this.entities = entities;
        this.batch = batch;
        this.requestReader = json.readerForListOf(RecordLinkRequest.class);
    }

    @Override
    public JobKind kind() {
        return JobKind.BULK_LINK_RECORDS;
    }

    @Override
    public String dataType() {
        return "links";
    }

    @Override
    public List<ItemOutcome> run(ChunkWork work, ChunkContext context, boolean write) throws SQLException {
        RecordLinkRequest request = work.<RecordLinkRequest>items(requestReader).get(0);
        String project = work.project();
        UUID parent = request.parentId();
        List<UUID> records = expand(project, request.read(), parent);
        if (request.byName()) {
            Map<UUID, String> names = selections.names(project, records);
            records.sort(Comparator.comparing(id -> names.getOrDefault(id, "")));
        }
        Types types = types(project, request, parent, records, work.submitter(), write);
        Map<String, Integer> next = firstPositions(project, request, parent, types, write);
        List<LinkItem> items = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            String type = types.ofRecords().get(i);
            int position = next.merge(type, 1, Integer::sum) - 1;
            items.add(new LinkItem(EntityRef.of(parent.toString()), EntityRef.of(records.get(i).toString()),
                    type, null, null, position, null));
        }
        context.grow(items.size());
        List<ItemOutcome> outcomes = new ArrayList<>(items.size());
        for (int from = 0; from < items.size(); from += SLICE) {
            List<LinkItem> slice = items.subList(from, Math.min(items.size(), from + SLICE));
            outcomes.addAll(batch.run(project, slice, LinkBatch.Options.CREATE, work.submitter(), work.job(), from,
                    write));
        }
        return outcomes;
    }

    /** The selected records, each once, in selection order; the parent itself is never linked to itself. */
    private List<UUID> expand(String project, Selection selection, UUID parent) throws SQLException {
        Set<UUID> records = new LinkedHashSet<>();
        for (Selection.Part part : selection.parts()) {
            int room = MAX_RECORDS + 1 - records.size();
            if (part instanceof Selection.Record record) {
                records.add(record.id());
            } else if (part instanceof Selection.Children children) {
                if (!selections.exists(project, children.parent())) {
                    throw rejection("The selection names the children of record " + children.parent()
                            + ", which does not exist (any more).");
                }
                for (UUID id : selections.children(project, children.parent(), room)) {
                    if (!children.exclude().contains(id)) {
                        records.add(id);
                    }
                }
            } else if (part instanceof Selection.Search search) {
                for (UUID id : selections.search(project, search, room)) {
                    if (!search.exclude().contains(id)) {
                        records.add(id);
                    }
                }
            }
            if (records.size() > MAX_RECORDS) {
                throw rejection("The selection expands to more than " + MAX_RECORDS + " records; narrow it.");
            }
        }
        return new ArrayList<>(records);
    }

    /** The link type of each record's link, in order, and of a link to {@code before_record} (null without one). */
    private record Types(List<String> ofRecords, String ofBefore) {
    }

    /**
     * The link types of the request's links: its own for each, or, for a bare name, one per pair of
     * entity types, registered now when writing, those the submitter may use (its allow-list, if any,
     * holds them; the others fail with 403 as in any job).
     */
    private Types types(String project, RecordLinkRequest request, UUID parent, List<UUID> records,
            Submitter submitter, boolean write) throws SQLException {
        UUID before = request.beforeRecordId();
        if (!request.typedByEnds()) {
            return new Types(Collections.nCopies(records.size(), request.linkType()), request.linkType());
        }
        Set<UUID> ends = new HashSet<>(records);
        ends.add(parent);
        if (before != null) {
            ends.add(before);
        }
        Map<UUID, String> entityTypes = entities.of(project, ends);
        String from = request.linkType() + "|" + entityTypes.getOrDefault(parent, UNKNOWN) + "|";
        List<String> ofRecords = new ArrayList<>(records.size());
        Set<String> used = new LinkedHashSet<>();
        for (UUID record : records) {
            String type = entityTypes.get(record);
            ofRecords.add(from + (type == null ? UNKNOWN : type));
            if (type != null && entityTypes.containsKey(parent) && submitter.mayUse(from + type)) {
                used.add(from + type);
            }
        }
        if (write) {
            links.register(project, used);
        }
        return new Types(ofRecords, before == null ? null : from + entityTypes.getOrDefault(before, UNKNOWN));
    }

    /**
     * Where the new links of each type start: before {@code before_record} for the type of the link to
     * it (the links from there on move up to make room), else after the parent's last link of the type.
     */
    private Map<String, Integer> firstPositions(String project, RecordLinkRequest request, UUID parent, Types types,
            boolean write) throws SQLException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        types.ofRecords().forEach(type -> counts.merge(type, 1, Integer::sum));
        Map<String, Integer> first = new HashMap<>();
        UUID before = request.beforeRecordId();
        if (before != null) {
            Integer at = links.position(project, parent, types.ofBefore(), before);
            if (at == null) {
                throw rejection("before_record " + before + " is not linked from " + parent + " with "
                        + types.ofBefore() + "; name a record the parent already links to, or leave it out to add the"
                        + " links last.");
            }
            if (write && counts.containsKey(types.ofBefore())) {
                links.shift(project, parent, types.ofBefore(), at, counts.get(types.ofBefore()));
            }
            first.put(types.ofBefore(), at);
        }
        for (String type : counts.keySet()) {
            if (!first.containsKey(type)) {
                Integer last = links.position(project, parent, type, null);
                first.put(type, last == null ? 0 : last + 1);
            }
        }
        return first;
    }

    private static JobRejection rejection(String message) {
        return new JobRejection(new ApiError(ApiError.SELECTION, message, null));
    }
}
