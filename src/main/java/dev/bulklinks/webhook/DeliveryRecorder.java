package dev.bulklinks.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.job.JobChanged;
import dev.bulklinks.job.JobStatus;
import dev.bulklinks.job.JobView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Queues the webhook deliveries of a job's events. It observes {@link JobChanged} synchronously, inside the
 * transaction that changed the job, so a delivery exists exactly when the change committed: the outbox
 * is the database's truth, whichever instance made the change or will send it.
 */
@ApplicationScoped
class DeliveryRecorder {

    /** A job reached done, rejected or cancelled. */
    static final String FINISHED = "job.finished";
    /** A chunk of a job committed; sent at most once per webhook's {@code progress_every}. */
    static final String PROGRESS = "job.progress";

    private final WebhookRepository webhooks;
    private final ObjectMapper json;

    DeliveryRecorder(WebhookRepository webhooks, ObjectMapper json) {
        this.webhooks = webhooks;
        this.json = json;
    }

    void jobChanged(@Observes JobChanged change) throws SQLException {
        JobView job = change.job();
        String event = switch (change.change()) {
            case STATUS -> job.status().isFinal() ? FINISHED : null;
            // Counters of a job already finished (a cancelled job's running chunk) are no news: its
            // job.finished went out with the status.
            case PROGRESS -> job.status() == JobStatus.PROCESSING ? PROGRESS : null;
            case CREATED -> null;
        };
        if (event == null) {
            return;
        }
        List<UUID> recipients = webhooks.recipients(job.project(), event, job.token());
        String callback = event.equals(FINISHED) && job.options() != null && job.options().path("callback").isTextual()
                ? job.options().path("callback").textValue() : null;
        if (recipients.isEmpty() && callback == null) {
            return;
        }
        Instant now = Instant.now();
        List<WebhookRepository.Pending> deliveries = new ArrayList<>(recipients.size() + 1);
        for (UUID webhook : recipients) {
            UUID id = UUID.randomUUID();
            deliveries.add(new WebhookRepository.Pending(webhook, null, id, payload(id, event, now, job)));
        }
        if (callback != null) {
            webhooks.callbackSecret(job.project()); // so that it exists when the delivery is signed
            UUID id = UUID.randomUUID();
            deliveries.add(new WebhookRepository.Pending(null, callback, id, payload(id, event, now, job)));
        }
        webhooks.enqueue(job.project(), event, job.token(), deliveries);
    }

    /** The body: the delivery's id (the same in every attempt), the event, when it happened, and the job. */
    private String payload(UUID id, String event, Instant at, JobView job) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("event", event);
        body.put("created_on", at);
        body.put("project_gid", job.project());
        body.put("job", job);
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A job always serializes", e);
        }
    }
}
