package dev.bulklinks.records;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.bulklinks.api.ApiError;
import dev.bulklinks.job.BatchHandler;
import dev.bulklinks.job.ItemOutcome;
import dev.bulklinks.job.JobKind;
import dev.bulklinks.job.JobRejection;
import dev.bulklinks.job.JobRepository;
import dev.bulklinks.job.JobRepository.ChunkWork;
import dev.bulklinks.link.EntityRef;
import dev.bulklinks.link.LinkBatch;
import dev.bulklinks.link.LinkItem;
import dev.bulklinks.link.LinkRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Runs a Unicat bulk link. The job is stored as one item, the request; when it runs, the selection
 * is expanded against the database, the job grows to one item per selected record, and the links
 * go through {@link LinkBatch} like any other: same checks, one outcome per record, in order.
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

    private final SelectionRepository selections;
    private final LinkRepository links;
    private final LinkBatch batch;
    private final JobRepository jobs;
    private final ObjectReader requestReader;

    RecordLinkJob(SelectionRepository selections, LinkRepository links, LinkBatch batch, JobRepository jobs,
            ObjectMapper json) {
        this.selections = selections;
        this.links = links;
        this.batch = batch;
        this.jobs = jobs;
        this.requestReader = json.readerForListOf(RecordLinkRequest.class);
    }

    @Override
    public JobKind kind() {
        return JobKind.BULK_LINK_RECORDS;
    }

    @Override
    public List<ItemOutcome> run(ChunkWork work, boolean write) throws SQLException {
        RecordLinkRequest request = work.<RecordLinkRequest>items(requestReader).get(0);
        String project = work.project();
        UUID parent = request.parentId();
        List<UUID> records = expand(project, request.check(), parent);
        if (request.byName()) {
            Map<UUID, String> names = selections.names(project, records);
            records.sort(Comparator.comparing(id -> names.getOrDefault(id, "")));
        }
        int first = firstPosition(project, request, parent, records.size(), write);
        List<LinkItem> items = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            items.add(new LinkItem(EntityRef.of(parent.toString()), EntityRef.of(records.get(i).toString()),
                    request.linkType(), null, null, first + i, null));
        }
        jobs.resize(work.job(), work.chunkNo(), items.size());
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

    /**
     * Where the new links start: before {@code before_record} (the links from there on move up to
     * make room), or after the parent's last link of the type.
     */
    private int firstPosition(String project, RecordLinkRequest request, UUID parent, int count, boolean write)
            throws SQLException {
        UUID before = request.beforeRecordId();
        if (before == null) {
            Integer last = links.position(project, parent, request.linkType(), null);
            return last == null ? 0 : last + 1;
        }
        Integer at = links.position(project, parent, request.linkType(), before);
        if (at == null) {
            throw rejection("before_record " + before + " is not linked from " + parent + " with " + request.linkType()
                    + "; name a record the parent already links to, or leave it out to add the links last.");
        }
        if (write) {
            links.shift(project, parent, request.linkType(), at, count);
        }
        return at;
    }

    private static JobRejection rejection(String message) {
        return new JobRejection(new ApiError(ApiError.SELECTION, message, null));
    }
}
