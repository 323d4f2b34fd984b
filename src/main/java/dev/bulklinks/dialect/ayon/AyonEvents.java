package dev.bulklinks.dialect.ayon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulklinks.entity.EntityIds;
import dev.bulklinks.job.JobChanged;
import dev.bulklinks.job.JobKind;
import dev.bulklinks.job.ChunkQueue;
import dev.bulklinks.job.ResultsRepository;
import dev.bulklinks.job.JobStatus;
import dev.bulklinks.job.JobView;
import dev.bulklinks.link.LinkItem;
import dev.bulklinks.link.LinkRules;
import dev.bulklinks.progress.SyncFeed;
import io.quarkus.arc.Arc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * AYON's events in our sync feed, as project items whose {@code data_type} is AYON's topic:
 * {@code link.created} for a link made by {@code POST /ayon/api/projects/{p}/links}, and one
 * {@code links.created} with {@code {count, links}} per job of AYON's bulk route. Their {@code data} is
 * AYON's event: {@code {"topic", "project", "user", "description", "summary"}}, ids as 32 hex digits.
 * Each is written in the transaction that wrote its links, so it commits with them or not at all.
 */
@ApplicationScoped
public class AyonEvents {

    static final String LINK_CREATED = "link.created";
    static final String LINKS_CREATED = "links.created";

    private final SyncFeed feed;
    private final AyonRepository repository;
    private final ChunkQueue jobs;
    private final ResultsRepository results;
    private final ObjectReader itemsReader;

    AyonEvents(SyncFeed feed, AyonRepository repository, ChunkQueue jobs, ResultsRepository results, ObjectMapper json) {
        this.feed = feed;
        this.repository = repository;
        this.jobs = jobs;
        this.results = results;
        this.itemsReader = json.readerForListOf(LinkItem.class);
    }

    /** Records {@code link.created} for one link, in the caller's transaction. */
    void linkCreated(String project, String user, UUID id, String linkType, UUID input, UUID output)
            throws SQLException {
        LinkRules.TypeParts parts = LinkRules.parts(linkType);
        feed.append(project, "INSERT", LINK_CREATED, AyonIds.hex(id), event(LINK_CREATED, project, user,
                "Created " + parts.name() + " link between " + parts.inputType() + " " + AyonIds.hex(input) + " and "
                        + parts.outputType() + " " + AyonIds.hex(output) + ".",
                summary(id, parts, input, output)));
    }

    /**
     * Follows the jobs of AYON's bulk route, inside the transactions that change them. When a job is stored
     * by a request of that route ({@link AyonBulkRequest}), marks it, in the submission's transaction, so the
     * mark commits with the job, before any worker can run it. When a marked job ends done, records
     * {@code links.created}, in the transaction that wrote its links. Costs other jobs one look-up by primary
     * key when a links job ends.
     */
    void jobChanged(@Observes JobChanged change) throws SQLException {
        JobView job = change.job();
        if (change.change() == JobChanged.Change.CREATED && Arc.container().requestContext().isActive()
                && Arc.container().instance(AyonBulkRequest.class).get().isOn()) {
            repository.markBulkJob(job.token());
        } else if (change.change() == JobChanged.Change.STATUS && job.status() == JobStatus.DONE
                && job.kind() == JobKind.BULK_UPSERT_LINKS && repository.isBulkJob(job.token())) {
            linksCreated(job);
        }
    }

    /** Records {@code links.created} for a done job of AYON's bulk route, in the transaction that ends it. */
    private void linksCreated(JobView job) throws SQLException {
        List<LinkItem> items = new ArrayList<>(job.info().total());
        int chunks = jobs.chunkCount(job.token());
        for (int n = 0; n < chunks; n++) {
            items.addAll(jobs.work(job.token(), n).items(itemsReader));
        }
        List<ObjectNode> outcomes = results.resultsByIndex(job, 0, job.info().total()).items();
        List<Map<String, Object>> links = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            LinkItem item = items.get(i);
            JsonNode id = outcomes.get(i).get("id");
            if (id == null) {
                continue;
            }
            links.add(summary(UUID.fromString(id.asText()), LinkRules.parts(item.linkType()),
                    EntityIds.parse(item.input().id()), EntityIds.parse(item.output().id())));
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("count", links.size());
        summary.put("links", links);
        feed.append(job.project(), "INSERT", LINKS_CREATED, job.token().toString(), event(LINKS_CREATED,
                job.project(), job.submittedBy(), "Created " + links.size() + " links.", summary));
    }

    private static Map<String, Object> summary(UUID id, LinkRules.TypeParts parts, UUID input, UUID output) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("id", AyonIds.hex(id));
        summary.put("linkType", parts.name());
        summary.put("inputType", parts.inputType());
        summary.put("outputType", parts.outputType());
        summary.put("inputId", AyonIds.hex(input));
        summary.put("outputId", AyonIds.hex(output));
        return summary;
    }

    private static Map<String, Object> event(String topic, String project, String user, String description,
            Object summary) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("topic", topic);
        event.put("project", project);
        event.put("user", user);
        event.put("description", description);
        event.put("summary", summary);
        return event;
    }
}
